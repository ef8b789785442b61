package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/internal/atomicfile"
	"github.com/saiasat/saiasat/markdown"
	"github.com/saiasat/saiasat/source"
	"github.com/saiasat/saiasat/templates"
	"github.com/saiasat/saiasat/textimport"
	"golang.org/x/text/language"
)

// ImportOptions are the flags of `saiasat import`.
type ImportOptions struct {
	Policy  string
	Lang    string
	Edition int
	Output  string
	// From is the input's kind: text (extracted from a PDF) or docx.
	From string
}

func (m *Main) runImport(ctx context.Context, args []string) error {
	var opt ImportOptions
	flags := m.newFlagSet("import", "FILE|-", "Turns a policy text extracted from a PDF or a word processor into the source\nformat, on standard output unless -o names a file. Page headers, page numbers\nand link-target lines are removed and each is reported; metadata found in the\npage headers is proposed for policy.yaml; anomalies (gaps, mixed scripts) are\nreported in check's format on standard error. The letters are kept as\npublished. The input is UTF-8, or UTF-16 with a byte order mark. Exit status 1\nwhen the text written fails check (the findings are printed), 0 otherwise.")
	flags.StringVar(&opt.Policy, "policy", "", "the policy `id`, for the proposed policy.yaml")
	flags.StringVar(&opt.Lang, "lang", "", "the `language` of the text, a BCP 47 tag: kk or ru (en for an English version)")
	flags.IntVar(&opt.Edition, "edition", 0, "the edition `number`, when the page headers do not say it or say it wrongly")
	flags.StringVar(&opt.Output, "o", "", "write the text to `file` instead of standard output")
	flags.StringVar(&opt.From, "from", "text", "the input's `kind`: text (extracted from a PDF or a word processor) or docx (a Word document: its automatic numbering, bold, tables and footnotes are read; tracked changes must be accepted or rejected first)")
	rest, err := parse(flags, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) != 1:
		return usagef("saiasat import --help", "import needs one input: a file, or - for standard input")
	case opt.Lang == "":
		return usagef("saiasat import --help", "--lang is required (%s)", strings.Join(supportedLangs(), ", "))
	}
	lang, err := importLang(opt.Lang)
	if err != nil {
		return usagef("saiasat import --help", "%v", err)
	}
	opt.Lang = string(lang)
	name := rest[0]
	switch opt.From {
	case "text":
	case "docx":
		return m.importDocx(opt, lang, name)
	default:
		return usagef("saiasat import --help", "unknown --from %q (want text or docx)", opt.From)
	}
	var src []byte
	if name == "-" {
		name = "<stdin>"
		src, err = io.ReadAll(io.LimitReader(os.Stdin, source.MaxFileSize+1))
		if err == nil && len(src) > source.MaxFileSize {
			err = fmt.Errorf("over the %d MiB limit", source.MaxFileSize>>20)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	} else if src, err = source.ReadBytes(os.DirFS(filepath.Dir(name)), filepath.Base(name), name); err != nil {
		return err
	}
	res, err := textimport.Import(src)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}

	out := "<stdout>"
	if opt.Output != "" {
		out = opt.Output
		if err := atomicfile.WriteFile(opt.Output, res.Text, 0o644); err != nil {
			return err
		}
	} else if _, err := m.Stdout.Write(res.Text); err != nil {
		return err
	}

	meta := res.Meta
	if opt.Edition > 0 {
		if meta.Edition > 0 && meta.Edition != opt.Edition {
			fmt.Fprintf(m.Stderr, "note: the page headers say edition %d; --edition says %d\n", meta.Edition, opt.Edition)
		}
		meta.Edition = opt.Edition
	}
	m.proposeMeta(opt, meta)

	return m.checkImported(out, lang, res.Text, res.Findings(name))
}

// checkImported prints the import's own reports (lines dropped, decisions
// to confirm) and check's findings on the text written; the exit status
// is check's verdict.
func (m *Main) checkImported(out string, lang saiasat.Lang, text []byte, reports []saiasat.Finding) error {
	doc, parsed := markdown.Parse(out, lang, text)
	failed := append(parsed, check.Document(doc)...)
	findings := append(reports, failed...)
	saiasat.SortFindings(findings)
	if err := check.Write(m.Stderr, check.FormatText, findings); err != nil {
		return err
	}
	if len(failed) > 0 {
		fmt.Fprintf(m.Stderr, "%s fails check: %d finding(s) above\n", out, len(failed))
		return errFindings
	}
	return nil
}

// importLang reads --lang: a BCP 47 tag ("kk", "ru-KZ", "kk-Cyrl") whose
// language is one saiasat has messages for, returned as the bare language
// code its files are named by.
func importLang(s string) (saiasat.Lang, error) {
	tag, err := language.Parse(s)
	if err != nil {
		return "", fmt.Errorf("--lang %q is not a BCP 47 language tag (%s)", s, strings.Join(supportedLangs(), ", "))
	}
	base, _ := tag.Base()
	if !slices.Contains(supportedLangs(), base.String()) {
		return "", fmt.Errorf("--lang %q: saiasat supports %s", s, strings.Join(supportedLangs(), ", "))
	}
	if script, conf := tag.Script(); conf == language.Exact && script.String() != "Cyrl" && base.String() != "en" {
		return "", fmt.Errorf("--lang %q: saiasat keeps %s texts in Cyrillic (%s-Cyrl), not %s", s, base, base, script)
	}
	return saiasat.Lang(base.String()), nil
}

// supportedLangs returns the languages saiasat has UI messages for, from
// the embedded locales/active.<lang>.yaml files, sorted.
func supportedLangs() []string {
	names, _ := fs.Glob(templates.FS, "locales/active.*.yaml")
	var out []string
	for _, n := range names {
		out = append(out, strings.TrimSuffix(strings.TrimPrefix(n, "locales/active."), ".yaml"))
	}
	slices.Sort(out)
	return out
}

// proposeMeta prints what the page headers said, as policy.yaml lines.
func (m *Main) proposeMeta(opt ImportOptions, meta textimport.Meta) {
	if meta == (textimport.Meta{}) {
		fmt.Fprintln(m.Stderr, "# no page header found: nothing to propose for policy.yaml")
		return
	}
	w := m.Stderr
	fmt.Fprintln(w, "# proposed for policy.yaml, from the page headers:")
	if opt.Policy != "" {
		fmt.Fprintf(w, "id: %s\n", opt.Policy)
	}
	if meta.Title != "" {
		fmt.Fprintf(w, "title: {%s: %s}\n", opt.Lang, strconv.Quote(meta.Title))
	}
	if meta.Organization != "" {
		fmt.Fprintf(w, "organization: {%s: %s}\n", opt.Lang, strconv.Quote(meta.Organization))
	}
	if meta.Edition > 0 {
		fmt.Fprintf(w, "edition: %d\n", meta.Edition)
	}
	if !meta.Effective.IsZero() {
		fmt.Fprintf(w, "effective: %s\n", meta.Effective.Format(saiasat.DateLayout))
	}
	if meta.Pages > 0 {
		fmt.Fprintf(w, "# pages: %d\n", meta.Pages)
	}
}
