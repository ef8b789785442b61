// Package source loads policy folders — policy.yaml and one <lang>.md per
// language — into the domain's Policy, reporting problems of the metadata
// as meta/* findings and of files it cannot read as errors.
package source

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/markdown"
	"go.yaml.in/yaml/v3"
)

// MetaFile is the name of a policy folder's metadata file.
const MetaFile = "policy.yaml"

// MaxFileSize bounds every file read: the edition-1 text is 31 KB, so 4 MiB
// leaves room for any policy while refusing a misplaced dump at once.
const MaxFileSize = 4 << 20

// Known keys of policy.yaml, in the order docs/format.md lists them.
var knownKeys = []string{"id", "languages", "title", "organization", "edition", "effective"}

// optionalKeys may be left out of policy.yaml: approver defaults to the
// sole participant's decision, the instrument of the bundled policy.
// kind defaults to privacy-policy and numbering to sections, the bundled
// policy's.
var optionalKeys = []string{"approver", "accept", "kind", "numbering"}

var (
	idRe   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	langRe = regexp.MustCompile(`^[a-z]{2,3}$`)
)

// ReadFile reads name from fsys, refusing files over MaxFileSize and binary
// files (a NUL byte) with an error that names the file as display.
func ReadFile(fsys fs.FS, name, display string) ([]byte, error) {
	b, err := ReadBytes(fsys, name, display)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return nil, fmt.Errorf("%s: UTF-16; save as UTF-8", display)
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return nil, fmt.Errorf("%s: binary file (NUL byte at offset %d), not a UTF-8 text", display, i)
	}
	return b, nil
}

// ReadBytes reads a file of fsys as ReadFile does, with the same size
// limit, but takes its bytes as they are: for `import`, which reads UTF-16
// too.
func ReadBytes(fsys fs.FS, name, display string) ([]byte, error) {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, unwrapPathError(err))
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, not a file", display)
	}
	if fi.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s: %.1f MB is over the %d MiB limit for a policy file", display, float64(fi.Size())/1e6, MaxFileSize>>20)
	}
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, unwrapPathError(err))
	}
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("%s: over the %d MiB limit for a policy file", display, MaxFileSize>>20)
	}
	return b, nil
}

// unwrapPathError drops the *fs.PathError wrapper, whose path is the
// fs.FS-relative one; callers name the file as the user wrote it.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Discover returns the policy folders in fsys: "." when fsys holds
// policy.yaml itself, else every direct subfolder that does, sorted.
func Discover(fsys fs.FS) ([]string, error) {
	if _, err := fs.Stat(fsys, MetaFile); err == nil {
		return []string{"."}, nil
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, unwrapPathError(err)
	}
	var dirs []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := fs.Stat(fsys, path.Join(e.Name(), MetaFile)); err == nil {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) == 0 {
		return nil, fmt.Errorf("no %s in it or in its subfolders", MetaFile)
	}
	return dirs, nil
}

// Load reads the policy folder at the root of fsys; dir names that folder
// in findings and errors. The error is for what cannot be read at all (a
// missing policy.yaml, a binary or oversized file); everything else is a
// finding, so one run reports every problem.
func Load(fsys fs.FS, dir string) (*saiasat.Policy, []saiasat.Finding, error) {
	metaName := filepath.Join(dir, MetaFile)
	raw, err := ReadFile(fsys, MetaFile, metaName)
	if err != nil {
		return nil, nil, err
	}
	p := &saiasat.Policy{Dir: dir, Docs: make(map[saiasat.Lang]*saiasat.Document)}
	m := &metaParser{file: metaName, p: p}
	m.parse(canon.View(raw))
	if p.ID != "" && dir != "" && filepath.Base(filepath.Clean(dir)) != p.ID && filepath.Base(filepath.Clean(dir)) != "." {
		m.report(m.keyPos["id"], saiasat.Warning, "meta/id", fmt.Sprintf("id %q differs from the folder name %q", p.ID, filepath.Base(dir)))
	}
	findings := m.findings

	for _, lang := range p.Languages {
		name := string(lang) + ".md"
		display := filepath.Join(dir, name)
		if _, err := fs.Stat(fsys, name); errors.Is(err, fs.ErrNotExist) {
			findings = append(findings, saiasat.Finding{
				Pos: m.keyPos["languages"], Severity: saiasat.Error, Rule: "meta/missing-file",
				Message: fmt.Sprintf("language %s has no file %s", lang, display),
			})
			continue
		}
		src, err := ReadFile(fsys, name, display)
		if err != nil {
			return nil, nil, err
		}
		doc, fs := markdown.Parse(display, lang, canon.View(src), markdown.WithNumbering(p.Numbering))
		doc.Source = src
		p.Docs[lang] = doc
		findings = append(findings, fs...)
	}

	// A text file for a language policy.yaml does not list is probably a
	// language someone forgot to add; when no languages could be read, the
	// YAML finding says enough.
	entries, _ := fs.ReadDir(fsys, ".")
	if len(p.Languages) == 0 {
		entries = nil
	}
	for _, e := range entries {
		lang, ok := strings.CutSuffix(e.Name(), ".md")
		if !ok || e.IsDir() || !langRe.MatchString(lang) || slices.Contains(p.Languages, saiasat.Lang(lang)) {
			continue
		}
		findings = append(findings, saiasat.Finding{
			Pos: m.langPos(), Severity: saiasat.Warning, Rule: "meta/extra-file",
			Message: fmt.Sprintf("%s is not among the languages of %s", filepath.Join(dir, e.Name()), MetaFile),
		})
	}
	return p, findings, nil
}

// metaParser reads policy.yaml through yaml.Node, to know where each key is.
type metaParser struct {
	file     string
	p        *saiasat.Policy
	keyPos   map[string]saiasat.Pos
	findings []saiasat.Finding
}

func (m *metaParser) pos(n *yaml.Node) saiasat.Pos {
	if n == nil {
		return saiasat.Pos{File: m.file, Line: 1, Col: 1}
	}
	return saiasat.Pos{File: m.file, Line: n.Line, Col: n.Column}
}

// langPos is where findings about languages point: the languages key, or
// the top of policy.yaml.
func (m *metaParser) langPos() saiasat.Pos {
	if p, ok := m.keyPos["languages"]; ok {
		return p
	}
	return m.pos(nil)
}

func (m *metaParser) report(pos saiasat.Pos, sev saiasat.Severity, rule, msg string) {
	if pos.File == "" {
		pos = m.pos(nil)
	}
	m.findings = append(m.findings, saiasat.Finding{Pos: pos, Severity: sev, Rule: rule, Message: msg})
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func (m *metaParser) parse(raw []byte) {
	m.keyPos = make(map[string]saiasat.Pos)
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		pos := m.pos(nil)
		msg := err.Error()
		if sm := yamlLineRe.FindStringSubmatch(msg); sm != nil {
			fmt.Sscan(sm[1], &pos.Line)
			msg = sm[2]
		}
		m.report(pos, saiasat.Error, "meta/yaml", "invalid YAML: "+strings.TrimPrefix(msg, "yaml: "))
		return
	}
	if len(doc.Content) == 0 {
		m.report(m.pos(nil), saiasat.Error, "meta/missing-key", "empty "+MetaFile+": it needs "+strings.Join(knownKeys, ", "))
		return
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		m.report(m.pos(root), saiasat.Error, "meta/yaml", MetaFile+" must be a mapping of keys to values")
		return
	}
	vals := make(map[string]*yaml.Node)
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if !slices.Contains(knownKeys, k.Value) && !slices.Contains(optionalKeys, k.Value) {
			m.report(m.pos(k), saiasat.Error, "meta/unknown-key", fmt.Sprintf("unknown key %q (known: %s)", k.Value, strings.Join(append(knownKeys, optionalKeys...), ", ")))
			continue
		}
		if _, dup := vals[k.Value]; dup {
			m.report(m.pos(k), saiasat.Error, "meta/duplicate-key", fmt.Sprintf("key %q given twice", k.Value))
			continue
		}
		vals[k.Value] = v
		m.keyPos[k.Value] = m.pos(k)
	}
	for _, k := range knownKeys {
		if vals[k] == nil {
			m.report(m.pos(nil), saiasat.Error, "meta/missing-key", fmt.Sprintf("missing key %q", k))
		}
	}
	if v := vals["id"]; v != nil {
		if v.Kind != yaml.ScalarNode || !idRe.MatchString(v.Value) {
			m.report(m.pos(v), saiasat.Error, "meta/invalid", "id must be lower-case letters, digits and hyphens, like \"privacy\"")
		} else {
			m.p.ID = v.Value
		}
	}
	if v := vals["languages"]; v != nil {
		m.languages(v)
	}
	if v := vals["edition"]; v != nil {
		var ed int
		if v.Kind != yaml.ScalarNode || v.Decode(&ed) != nil || ed < 1 {
			m.report(m.pos(v), saiasat.Error, "meta/invalid", "edition must be a whole number, 1 or more")
		} else {
			m.p.Edition = ed
		}
	}
	if v := vals["effective"]; v != nil {
		t, err := time.Parse(saiasat.DateLayout, v.Value)
		if v.Kind != yaml.ScalarNode || err != nil {
			m.report(m.pos(v), saiasat.Error, "meta/invalid", fmt.Sprintf("effective must be a date YYYY-MM-DD, not %q", v.Value))
		} else {
			m.p.Effective = t
		}
	}
	m.p.Kind = saiasat.DocPrivacy
	if v := vals["kind"]; v != nil {
		var kinds []string
		for _, k := range saiasat.DocKinds() {
			kinds = append(kinds, string(k))
		}
		if v.Kind != yaml.ScalarNode || !slices.Contains(kinds, v.Value) {
			m.report(m.pos(v), saiasat.Error, "meta/invalid", fmt.Sprintf("kind must be one of %s, not %q", strings.Join(kinds, ", "), v.Value))
		} else {
			m.p.Kind = saiasat.DocKind(v.Value)
		}
	}
	m.p.Numbering = saiasat.NumberingSections
	if v := vals["numbering"]; v != nil {
		schemes := []string{string(saiasat.NumberingSections), string(saiasat.NumberingFlat), string(saiasat.NumberingNone)}
		if v.Kind != yaml.ScalarNode || !slices.Contains(schemes, v.Value) {
			m.report(m.pos(v), saiasat.Error, "meta/invalid", fmt.Sprintf("numbering must be one of %s, not %q", strings.Join(schemes, ", "), v.Value))
		} else {
			m.p.Numbering = saiasat.Numbering(v.Value)
		}
	}
	m.p.Title = m.perLang(vals["title"], "title")
	m.p.Organization = m.perLang(vals["organization"], "organization")
	m.p.Approver = m.perLang(vals["approver"], "approver")
	if v := vals["accept"]; v != nil {
		m.accept(v)
	}
}

// accept reads the accept list: findings accepted, each with its rule,
// language, clause or block, an optional text of its message, and a
// reason.
func (m *metaParser) accept(v *yaml.Node) {
	const shape = `accept must be a list of {rule, lang, clause or block, text?, reason}, like - {rule: parity/anchor, lang: ru, clause: "3.4", text: SMS, reason: "…"}`
	if v.Kind != yaml.SequenceNode {
		m.report(m.pos(v), saiasat.Error, "meta/invalid", shape)
		return
	}
	for _, e := range v.Content {
		if e.Kind != yaml.MappingNode {
			m.report(m.pos(e), saiasat.Error, "meta/invalid", shape)
			continue
		}
		a := saiasat.Acceptance{Pos: m.pos(e)}
		ok := true
		fields := make(map[string]bool)
		for i := 0; i+1 < len(e.Content); i += 2 {
			k, val := e.Content[i], e.Content[i+1]
			fields[k.Value] = true
			if val.Kind != yaml.ScalarNode {
				m.report(m.pos(val), saiasat.Error, "meta/invalid", fmt.Sprintf("accept: %s must be a text", k.Value))
				ok = false
				continue
			}
			switch k.Value {
			case "rule":
				a.Rule = val.Value
				if strings.HasPrefix(a.Rule, "meta/") || !strings.Contains(a.Rule, "/") {
					m.report(m.pos(val), saiasat.Error, "meta/invalid", fmt.Sprintf("accept: %q is not a rule of the texts (like parity/anchor); policy.yaml's own findings are fixed, not accepted", a.Rule))
					ok = false
				}
			case "lang":
				a.Lang = saiasat.Lang(val.Value)
				if !slices.Contains(m.p.Languages, a.Lang) {
					m.report(m.pos(val), saiasat.Error, "meta/invalid", fmt.Sprintf("accept: %s is not among the languages", val.Value))
					ok = false
				}
			case "clause":
				n, err := saiasat.ParseNumber(val.Value)
				if err != nil {
					m.report(m.pos(val), saiasat.Error, "meta/invalid", fmt.Sprintf("accept: clause %q is not a clause or section number like \"3.4\"", val.Value))
					ok = false
				}
				a.Number = n
			case "block":
				a.Block = val.Value
				if !blockID.MatchString(a.Block) {
					m.report(m.pos(val), saiasat.Error, "meta/invalid", fmt.Sprintf("accept: block %q is not a block ID like \"p2\" or \"ch1/s2/p1\" (saiasat hash --blocks lists them)", val.Value))
					ok = false
				}
			case "text":
				a.Text = val.Value
			case "reason":
				a.Reason = strings.TrimSpace(val.Value)
			default:
				m.report(m.pos(k), saiasat.Error, "meta/unknown-key", fmt.Sprintf("accept: unknown field %q (known: rule, lang, clause, block, text, reason)", k.Value))
				ok = false
			}
		}
		for _, f := range []string{"rule", "lang", "reason"} {
			if !fields[f] {
				m.report(m.pos(e), saiasat.Error, "meta/missing-key", fmt.Sprintf("accept: missing %s", f))
				ok = false
			}
		}
		switch {
		case !fields["clause"] && !fields["block"]:
			m.report(m.pos(e), saiasat.Error, "meta/missing-key", "accept: missing clause (or block, a block's ID)")
			ok = false
		case fields["clause"] && fields["block"]:
			m.report(m.pos(e), saiasat.Error, "meta/invalid", "accept: give the clause or the block, not both")
			ok = false
		}
		if fields["reason"] && a.Reason == "" {
			m.report(m.pos(e), saiasat.Error, "meta/invalid", "accept: the reason must say why the finding is accepted")
			ok = false
		}
		if ok {
			m.p.Accept = append(m.p.Accept, a)
		}
	}
}

// blockID is the shape of a block's ID: names and numbers joined by
// slashes ("p2", "ch1/s2/p1", "3.4/t1", "signature").
var blockID = regexp.MustCompile(`^[\p{L}\p{N}.]+(/[\p{L}\p{N}.]+)*$`)

func (m *metaParser) languages(v *yaml.Node) {
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		m.report(m.pos(v), saiasat.Error, "meta/invalid", "languages must be a list of language codes, like [kk, ru]")
		return
	}
	for _, c := range v.Content {
		lang := saiasat.Lang(c.Value)
		switch {
		case c.Kind != yaml.ScalarNode || !langRe.MatchString(c.Value):
			m.report(m.pos(c), saiasat.Error, "meta/invalid", fmt.Sprintf("%q is not a language code such as kk or ru", c.Value))
		case slices.Contains(m.p.Languages, lang):
			m.report(m.pos(c), saiasat.Error, "meta/invalid", fmt.Sprintf("language %s listed twice", lang))
		default:
			m.p.Languages = append(m.p.Languages, lang)
		}
	}
}

// perLang reads a mapping of language to text, reporting languages of the
// policy it lacks and languages it has that the policy does not.
func (m *metaParser) perLang(v *yaml.Node, key string) map[saiasat.Lang]string {
	out := make(map[saiasat.Lang]string)
	if v == nil {
		return out
	}
	if v.Kind != yaml.MappingNode {
		m.report(m.pos(v), saiasat.Error, "meta/invalid", fmt.Sprintf("%s must map each language to a text, like {kk: \"…\", ru: \"…\"}", key))
		return out
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		lang := saiasat.Lang(k.Value)
		switch {
		case !slices.Contains(m.p.Languages, lang):
			m.report(m.pos(k), saiasat.Error, "meta/unknown-key", fmt.Sprintf("%s.%s: %s is not among the languages", key, lang, lang))
		case val.Kind != yaml.ScalarNode || strings.TrimSpace(val.Value) == "":
			m.report(m.pos(val), saiasat.Error, "meta/invalid", fmt.Sprintf("%s.%s must be a non-empty text", key, lang))
		case strings.ContainsAny(val.Value, "\r\n") || val.Value != strings.TrimSpace(val.Value):
			// The version hash covers it as one line.
			m.report(m.pos(val), saiasat.Error, "meta/invalid", fmt.Sprintf("%s.%s must be one line without leading or trailing spaces", key, lang))
		default:
			out[lang] = val.Value
		}
	}
	for _, lang := range m.p.Languages {
		if _, ok := out[lang]; !ok && !m.reported(key, lang) {
			m.report(m.pos(v), saiasat.Error, "meta/missing-key", fmt.Sprintf("missing %s.%s", key, lang))
		}
	}
	return out
}

func (m *metaParser) reported(key string, lang saiasat.Lang) bool {
	prefix := fmt.Sprintf("%s.%s ", key, lang)
	return slices.ContainsFunc(m.findings, func(f saiasat.Finding) bool { return strings.HasPrefix(f.Message, prefix) })
}
