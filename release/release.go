// Package release keeps the frozen editions of a policy on disk —
// policies/<id>/releases/<N>/ with each language's canonical text and
// release.json — and guards them: every load re-hashes the texts, checks the
// seal of release.json and the chain of editions, so a changed byte is an
// error naming its file.
package release

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/internal/atomicfile"
	"github.com/saiasat/saiasat/markdown"
	"github.com/saiasat/saiasat/source"
)

// Folder and file names inside a policy folder.
const (
	Folder   = "releases"
	MetaFile = "release.json"
)

// Error codes, used as rule ids in messages.
const (
	CodeTampered = "release/tampered"
	CodeChain    = "release/chain"
	CodeConflict = "release/conflict"
	CodeNotFound = "release/not-found"
	CodeInvalid  = "release/invalid"
)

// Error is a problem with a release, naming the file it is in.
type Error struct {
	Code string
	File string
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s [%s]", e.File, e.Msg, e.Code) }

func errorf(code, file, format string, args ...any) error {
	return &Error{Code: code, File: file, Msg: fmt.Sprintf(format, args...)}
}

// IsCode reports whether err is an *Error with the given code.
func IsCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// Store is the releases of the policy in folder Dir.
type Store struct {
	Dir string
	// Now is the clock for frozen_at and recorded_at; tests set it.
	Now func() time.Time
}

// NewStore returns the store of the policy folder dir.
func NewStore(dir string) *Store {
	return &Store{Dir: dir, Now: func() time.Time { return time.Now().UTC().Truncate(time.Second) }}
}

func (s *Store) editionDir(edition int) string {
	return filepath.Join(s.Dir, Folder, strconv.Itoa(edition))
}

// Releases loads every release in edition order, verifying each one's
// bytes against its recorded hashes and the chain between them. It returns
// an *Error with CodeTampered or CodeChain naming the file at fault.
func (s *Store) Releases() ([]*saiasat.Release, error) {
	root := filepath.Join(s.Dir, Folder)
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", root, err)
	}
	var rs []*saiasat.Release
	for _, e := range entries {
		// Nothing but edition folders: a release hidden under another name
		// would otherwise vanish from the chain without a word. Temporary
		// files of an interrupted atomic write start with ".".
		if strings.HasPrefix(e.Name(), ".") && !e.IsDir() && strings.Contains(e.Name(), ".tmp") {
			continue
		}
		n, err := strconv.Atoi(e.Name())
		if !e.IsDir() || err != nil || n < 1 || strconv.Itoa(n) != e.Name() {
			return nil, errorf(CodeTampered, filepath.Join(root, e.Name()), "not an edition folder: %s holds only folders named 1, 2, 3 …", root)
		}
		r, err := s.load(n)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	slices.SortFunc(rs, func(a, b *saiasat.Release) int { return a.Edition - b.Edition })
	for i, r := range rs {
		file := filepath.Join(s.editionDir(r.Edition), MetaFile)
		if i == 0 {
			if r.Previous != "" || r.PreviousSeal != "" {
				return nil, errorf(CodeChain, file, "edition %d names a previous version %s, but there is no earlier release", r.Edition, r.Previous)
			}
			continue
		}
		prev := rs[i-1]
		if r.Edition != prev.Edition+1 {
			return nil, errorf(CodeChain, file, "edition %d follows edition %d: editions must be consecutive", r.Edition, prev.Edition)
		}
		if r.Previous != prev.Version {
			return nil, errorf(CodeChain, file, "previous version %s is not the version %s of edition %d", orNone(r.Previous), prev.Version, prev.Edition)
		}
		if r.PreviousSeal != prev.Seal {
			return nil, errorf(CodeChain, file, "previous seal %s is not the seal %s of edition %d: its release.json changed after edition %d was frozen", orNone(r.PreviousSeal), prev.Seal, prev.Edition, r.Edition)
		}
	}
	return rs, nil
}

func orNone(h saiasat.Hash) string {
	if h == "" {
		return "(none)"
	}
	return string(h)
}

// Release returns the verified release of one edition.
func (s *Store) Release(edition int) (*saiasat.Release, error) {
	rs, err := s.Releases()
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if r.Edition == edition {
			return r, nil
		}
	}
	return nil, errorf(CodeNotFound, s.editionDir(edition), "no release of edition %d", edition)
}

// load reads and verifies one release folder.
func (s *Store) load(edition int) (*saiasat.Release, error) {
	dir := s.editionDir(edition)
	file := filepath.Join(dir, MetaFile)
	fsys := os.DirFS(dir)
	raw, err := source.ReadFile(fsys, MetaFile, file)
	if err != nil {
		return nil, err
	}
	var m manifest
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, errorf(CodeTampered, file, "not a release manifest: %v", err)
	}
	again, err := m.encode()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(again, raw) {
		return nil, errorf(CodeTampered, file, "the bytes are not as saiasat wrote them (byte %d differs)", firstDiff(again, raw))
	}
	if seal, err := m.seal(); err != nil || seal != m.Seal {
		return nil, errorf(CodeTampered, file, "seal %s does not match its content (%s)", m.Seal, seal)
	}
	r, err := m.release()
	if err != nil {
		return nil, errorf(CodeTampered, file, "%v", err)
	}
	if r.Edition != edition {
		return nil, errorf(CodeTampered, file, "edition %d recorded in the folder of edition %d", r.Edition, edition)
	}
	r.Docs = make(map[saiasat.Lang]*saiasat.Document)
	for _, lang := range r.Languages {
		name := string(lang) + ".md"
		display := filepath.Join(dir, name)
		text, err := source.ReadFile(fsys, name, display)
		if err != nil {
			return nil, errorf(CodeTampered, display, "%v", errors.Unwrap(err))
		}
		if got := saiasat.HashBytes(text); got != r.Texts[lang] {
			return nil, errorf(CodeTampered, display, "text hash %s does not match the recorded %s", got, r.Texts[lang])
		}
		doc, _ := markdown.Parse(display, lang, text, markdown.WithNumbering(r.Numbering))
		r.Docs[lang] = doc
	}
	// Every file of the folder is accounted for.
	files, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	for _, f := range files {
		name := f.Name()
		lang, isText := strings.CutSuffix(name, ".md")
		known := name == MetaFile || (isText && slices.Contains(r.Languages, saiasat.Lang(lang)))
		temp := strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp")
		if !known && !temp {
			return nil, errorf(CodeTampered, filepath.Join(dir, name), "a file release.json does not list")
		}
	}
	if v := versionOf(r); v != r.Version {
		return nil, errorf(CodeTampered, file, "version %s does not match its id, edition, date, title, organization and texts (%s)", r.Version, v)
	}
	if r.Approval != nil && r.Approval.Version != r.Version {
		return nil, errorf(CodeTampered, file, "approval binds to %s, not to this release's version %s", r.Approval.Version, r.Version)
	}
	if (r.Status == saiasat.StatusApproved) != (r.Approval != nil) {
		return nil, errorf(CodeTampered, file, "status %q does not agree with the approval record", r.Status)
	}
	return r, nil
}

func firstDiff(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

// FreezeOptions say what `saiasat release` freezes.
type FreezeOptions struct {
	Edition   int
	Effective time.Time
	// Historic records an edition in force before this tool: the text is kept
	// as published, and Findings (check's, on that text) are listed.
	Historic bool
	Findings []saiasat.Finding
}

// Freeze writes the canonical texts of p as release opt.Edition with status
// pending. The edition must follow the latest release, or be the latest one
// while it is still pending; an approved release never changes.
func (s *Store) Freeze(p *saiasat.Policy, opt FreezeOptions) (*saiasat.Release, error) {
	rs, err := s.Releases()
	if err != nil {
		return nil, err
	}
	dir := s.editionDir(opt.Edition)
	var prev *saiasat.Release
	switch {
	case len(rs) == 0:
	case rs[len(rs)-1].Edition == opt.Edition:
		last := rs[len(rs)-1]
		if last.Approved() {
			return nil, errorf(CodeConflict, dir, "edition %d is approved and never changes; freeze edition %d instead", opt.Edition, opt.Edition+1)
		}
		if len(rs) > 1 {
			prev = rs[len(rs)-2]
		}
	case rs[len(rs)-1].Edition+1 == opt.Edition:
		prev = rs[len(rs)-1]
		if !prev.Approved() {
			return nil, errorf(CodeConflict, dir, "edition %d is not approved yet: approve it before freezing edition %d", prev.Edition, opt.Edition)
		}
	default:
		return nil, errorf(CodeConflict, dir, "the latest release is edition %d: the next is %d", rs[len(rs)-1].Edition, rs[len(rs)-1].Edition+1)
	}
	if opt.Edition < 1 {
		return nil, errorf(CodeInvalid, dir, "edition must be 1 or more")
	}
	if opt.Historic {
		for _, r := range rs {
			if !r.Historic && r.Edition != opt.Edition {
				return nil, errorf(CodeConflict, dir, "--historic records editions in force before saiasat, and edition %d was released with it", r.Edition)
			}
		}
	}
	if prev != nil && !opt.Effective.After(prev.Effective) {
		return nil, errorf(CodeConflict, dir, "effective date %s is not after %s, when edition %d came into force", opt.Effective.Format(saiasat.DateLayout), prev.Effective.Format(saiasat.DateLayout), prev.Edition)
	}

	r := &saiasat.Release{
		ID: p.ID, Edition: opt.Edition, Effective: opt.Effective, Languages: p.Languages,
		Title: p.Title, Organization: p.Organization, Texts: make(map[saiasat.Lang]saiasat.Hash),
		Status: saiasat.StatusPending, Historic: opt.Historic, Findings: opt.Findings, FrozenAt: s.Now(),
		Docs: make(map[saiasat.Lang]*saiasat.Document),
	}
	if p.Numbering != saiasat.NumberingSections {
		r.Numbering = p.Numbering // sections, the default, is not written
	}
	if prev != nil {
		r.Previous = prev.Version
		r.PreviousSeal = prev.Seal
	}
	texts := make(map[saiasat.Lang][]byte)
	for _, lang := range p.Languages {
		doc := p.Docs[lang]
		if doc == nil {
			return nil, errorf(CodeInvalid, filepath.Join(p.Dir, string(lang)+".md"), "no text for language %s", lang)
		}
		c, err := canon.Format(doc.Source, markdown.WithNumbering(p.Numbering))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", doc.File, err)
		}
		texts[lang] = c
		r.Texts[lang] = saiasat.HashBytes(c)
		r.Docs[lang], _ = markdown.Parse(filepath.Join(dir, string(lang)+".md"), lang, c, markdown.WithNumbering(p.Numbering))
	}
	r.Version = versionOf(r)

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	// Texts first, the manifest last: until it is written, the folder holds
	// the previous manifest, which no longer matches, and load says so.
	for _, lang := range p.Languages {
		if err := atomicfile.WriteFile(filepath.Join(dir, string(lang)+".md"), texts[lang], 0o644); err != nil {
			return nil, err
		}
	}
	if err := s.write(r); err != nil {
		return nil, err
	}
	return r, nil
}

// ApproveOptions record the decision that approves an edition (policy.yaml's
// approver names the instrument; the sole participant's decision by default).
type ApproveOptions struct {
	Edition int
	// Hash is the version hash printed on the redline the approver read.
	Hash saiasat.Hash
	// Decisions is the decision as cited, in every language of the
	// edition; Approvers names who approved, in every language. These are
	// what readers are shown.
	Decisions map[saiasat.Lang]string
	Approvers map[saiasat.Lang]string
	// Decision and Approver are the older one-text form, still accepted
	// from programs (readers see such a text only on the page of the
	// language it is written in).
	Decision string
	Approver string
	Date     time.Time
}

// check says what an approval of r lacks, "" when nothing.
func (opt ApproveOptions) check(r *saiasat.Release) string {
	if len(opt.Decisions) == 0 && opt.Decision == "" {
		return "an approval needs the decision, in every language of the edition"
	}
	if len(opt.Approvers) == 0 && opt.Approver == "" {
		return "an approval needs the approver, in every language of the edition"
	}
	for _, m := range []struct {
		what string
		text map[saiasat.Lang]string
	}{{"decision", opt.Decisions}, {"approver", opt.Approvers}} {
		if len(m.text) == 0 {
			continue
		}
		for _, l := range r.Languages {
			if strings.TrimSpace(m.text[l]) == "" {
				return fmt.Sprintf("the %s in %s is missing: give it in every language of the edition (%v)", m.what, l, r.Languages)
			}
		}
		for l := range m.text {
			if !slices.Contains(r.Languages, l) {
				return fmt.Sprintf("the %s in %s: edition %d has no %s text (%v)", m.what, l, r.Edition, l, r.Languages)
			}
		}
	}
	return ""
}

// Approve binds an approval to release opt.Edition, refusing when opt.Hash
// is not its version hash, when it is already approved, or when the edition
// before it is not.
func (s *Store) Approve(opt ApproveOptions) (*saiasat.Release, error) {
	rs, err := s.Releases()
	if err != nil {
		return nil, err
	}
	file := filepath.Join(s.editionDir(opt.Edition), MetaFile)
	i := slices.IndexFunc(rs, func(r *saiasat.Release) bool { return r.Edition == opt.Edition })
	if i < 0 {
		return nil, errorf(CodeNotFound, s.editionDir(opt.Edition), "no release of edition %d: freeze it with saiasat release first", opt.Edition)
	}
	r := rs[i]
	switch {
	case r.Approved():
		return nil, errorf(CodeConflict, file, "edition %d is already approved (%s, %s)", r.Edition, r.Approval.Date.Format(saiasat.DateLayout), r.Approval.Cited())
	case opt.Hash != r.Version:
		return nil, errorf(CodeConflict, file, "--hash %s is not the version of edition %d, %s: approve only the text you read", opt.Hash, r.Edition, r.Version)
	case i > 0 && !rs[i-1].Approved():
		return nil, errorf(CodeConflict, file, "edition %d is not approved yet: approve it first", rs[i-1].Edition)
	case opt.check(r) != "":
		return nil, errorf(CodeInvalid, file, "%s", opt.check(r))
	}
	r.Status = saiasat.StatusApproved
	r.Approval = &saiasat.Approval{Version: r.Version, Decision: opt.Decision, Date: opt.Date, Approver: opt.Approver, RecordedAt: s.Now(),
		Decisions: maps.Clone(opt.Decisions), Approvers: maps.Clone(opt.Approvers)}
	if err := s.write(r); err != nil {
		return nil, err
	}
	return r, nil
}

func (s *Store) write(r *saiasat.Release) error {
	m := fromRelease(r)
	seal, err := m.seal()
	if err != nil {
		return err
	}
	m.Seal = seal
	if r.Seal, err = saiasat.ParseHash(seal); err != nil {
		return err
	}
	b, err := m.encode()
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(s.editionDir(r.Edition), MetaFile), b, 0o644)
}

func versionOf(r *saiasat.Release) saiasat.Hash {
	return saiasat.VersionInput{ID: r.ID, Edition: r.Edition, Effective: r.Effective, Title: r.Title, Organization: r.Organization, Texts: r.Texts}.Hash()
}
