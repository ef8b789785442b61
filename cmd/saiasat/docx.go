package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/docx"
	"github.com/saiasat/saiasat/internal/atomicfile"
)

// maxDocx bounds a .docx read: a 200-page policy is under 1 MiB zipped.
const maxDocx = 64 << 20

// importDocx is `saiasat import --from docx FILE.docx`.
func (m *Main) importDocx(opt ImportOptions, lang saiasat.Lang, name string) error {
	var data []byte
	var err error
	if name == "-" {
		name = "<stdin>"
		data, err = io.ReadAll(io.LimitReader(os.Stdin, maxDocx+1))
	} else {
		var f *os.File
		if f, err = os.Open(name); err == nil {
			data, err = io.ReadAll(io.LimitReader(f, maxDocx+1))
			f.Close()
		}
	}
	if err == nil && len(data) > maxDocx {
		err = fmt.Errorf("over the %d MiB limit", maxDocx>>20)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, unwrapNotExist(err))
	}
	res, err := docx.Import(data)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if res.Text == nil {
		// Tracked changes: nothing is written.
		if err := check.Write(m.Stderr, check.FormatText, res.Findings(name)); err != nil {
			return err
		}
		fmt.Fprintf(m.Stderr, "%s: accept or reject the tracked changes in Word, save, and import again\n", name)
		return errFindings
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
	if res.Title == "" && opt.Edition == 0 {
		fmt.Fprintln(m.Stderr, "# no paragraph in the Title style: nothing to propose for policy.yaml")
	} else {
		fmt.Fprintln(m.Stderr, "# proposed for policy.yaml, from the document's Title paragraph:")
		if opt.Policy != "" {
			fmt.Fprintf(m.Stderr, "id: %s\n", opt.Policy)
		}
		if res.Title != "" {
			fmt.Fprintf(m.Stderr, "title: {%s: %s}\n", opt.Lang, strconv.Quote(res.Title))
		}
		if opt.Edition > 0 {
			fmt.Fprintf(m.Stderr, "edition: %d\n", opt.Edition)
		}
	}
	return m.checkImported(out, lang, res.Text, res.Findings(name))
}

// ExportOptions are the flags of `saiasat export`.
type ExportOptions struct {
	Format string
	Lang   string
	Output string
}

func (m *Main) runExport(ctx context.Context, args []string) error {
	var pf policyFlags
	opt := ExportOptions{Format: "docx"}
	fs := m.newFlagSet("export", "[EDITION|draft]", "Writes an edition (a number) or the working draft (the default) of one language as\na Word document with automatic numbering, for the legal team to edit; saiasat\nimport --from docx reads it back to the same text. The title is printed first\nand the edition and version hash in the page header.")
	pf.register(fs)
	fs.StringVar(&opt.Format, "format", opt.Format, "output `format`: docx")
	fs.StringVar(&opt.Lang, "lang", "", "the `language` to export (default: the policy's first)")
	fs.StringVar(&opt.Output, "o", "", "write to `file` instead of standard output")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if opt.Format != "docx" {
		return usagef("saiasat export --help", "unknown --format %q (want docx)", opt.Format)
	}
	side := "draft"
	switch len(rest) {
	case 0:
	case 1:
		side = rest[0]
		if side != "draft" && !isEdition(side) {
			return usagef("saiasat export --help", "%q is not an edition number or draft", side)
		}
	default:
		return usagef("saiasat export --help", "export takes one version: an edition number or draft")
	}
	v, err := m.resolveSide(&pf, side)
	if err != nil {
		return err
	}
	lang := saiasat.Lang(opt.Lang)
	if lang == "" && len(v.Languages) > 0 {
		lang = v.Languages[0]
	}
	doc := v.Docs[lang]
	if doc == nil {
		return usagef("saiasat export --help", "%s has no %q text (languages: %v)", v.Label, opt.Lang, v.Languages)
	}
	data, err := docx.Export(doc.Source, docx.ExportOptions{Title: v.Title[lang], Header: sideHeader(v)})
	if err != nil {
		return fmt.Errorf("export %s %s: %w", v.Label, lang, err)
	}
	if opt.Output != "" {
		return atomicfile.WriteFile(opt.Output, data, 0o644)
	}
	_, err = m.Stdout.Write(data)
	return err
}

// sideHeader is the page header of an exported version: which edition (or
// draft) and its version hash.
func sideHeader(v *diff.Version) string {
	name := v.Label
	if v.Edition > 0 {
		name = "edition " + strconv.Itoa(v.Edition)
		if !v.Released {
			name += " (draft)"
		}
	}
	return name + " · " + string(v.Version)
}
