package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/docx"
	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/render"
	"github.com/saiasat/saiasat/source"
)

// DiffOptions are the flags of `saiasat diff`.
type DiffOptions struct {
	Format string
	All    bool
	Color  string
	Output string
	// ExitCode makes the command exit 1 when the versions differ, as
	// git diff --exit-code does.
	ExitCode bool
}

func (m *Main) runDiff(ctx context.Context, args []string) error {
	var pf policyFlags
	opt := DiffOptions{Format: "text", Color: "auto"}
	fs := m.newFlagSet("diff", "A B", "Compares two versions of a policy clause by clause in every language. A and B\nare each an edition number, \"draft\", or the path of a policy folder.")
	pf.register(fs)
	fs.StringVar(&opt.Format, "format", opt.Format, "output `format`: text, json, html (the approver's redline page), pdf (the same, printable, with a signature block) or docx (a Word document with tracked changes)")
	fs.BoolVar(&opt.All, "all", false, "list unchanged clauses too (json)")
	fs.StringVar(&opt.Color, "color", opt.Color, "colour the text redline: auto, always or never")
	fs.StringVar(&opt.Output, "o", "", "write to `file` instead of standard output")
	fs.BoolVar(&opt.ExitCode, "exit-code", false, "exit 1 when the versions differ (any change, metadata included), 0 when they do not")
	sides, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(sides) != 2 {
		return usagef("saiasat diff --help", "diff needs two versions, A and B (an edition number, draft, or a policy folder)")
	}
	switch opt.Format {
	case "text", "json", "html", "pdf", "docx":
	default:
		return usagef("saiasat diff --help", "unknown --format %q (want text, json, html, pdf or docx)", opt.Format)
	}
	switch opt.Color {
	case "auto", "always", "never":
	default:
		return usagef("saiasat diff --help", "unknown --color %q (want auto, always or never)", opt.Color)
	}
	// Check the folder sides before loading anything, so a mistyped path is
	// named even when the other side is an edition.
	for _, s := range sides {
		if isEdition(s) || s == "draft" {
			continue
		}
		if _, err := os.Stat(filepath.Join(s, source.MetaFile)); err != nil {
			return usagef("saiasat diff --help", "%q is not an edition number, \"draft\" or a policy folder (no %s in it)", s, source.MetaFile)
		}
	}
	var vs [2]*diff.Version
	for i, s := range sides {
		if vs[i], err = m.resolveSide(&pf, s); err != nil {
			return err
		}
	}
	r := diff.Compare(vs[0], vs[1])
	ropt := render.RedlineOptions{All: opt.All, Approver: m.approver(&pf, sides[1])}

	w := m.Stdout
	color := opt.Color == "always" || (opt.Color == "auto" && isTerminal(m.Stdout))
	var f *os.File
	if opt.Output != "" {
		if f, err = os.Create(opt.Output); err != nil {
			return err
		}
		defer f.Close()
		w, color = f, opt.Color == "always"
	}
	switch opt.Format {
	case "json":
		err = r.WriteJSON(w, opt.All)
	case "html":
		var b []byte
		if b, err = render.RedlineHTML(r, ropt); err == nil {
			_, err = w.Write(b)
		}
	case "pdf":
		var b []byte
		if b, err = render.RedlinePDF(r, ropt); err == nil {
			_, err = w.Write(b)
		}
	case "docx":
		var b []byte
		if b, err = docx.Redline(r, docx.RedlineOptions{Date: time.Now(), Approver: ropt.Approver}); err == nil {
			_, err = w.Write(b)
		}
	default:
		err = r.WriteText(w, color)
	}
	if err != nil {
		return err
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return err
		}
	}
	if opt.ExitCode && r.Summary.Changed() > 0 {
		return errFindings
	}
	return nil
}

// approver reads who approves an edition (policy.yaml's approver) from the
// folder of side b, or the policy folder when b is an edition or the
// draft; nil, the sole participant's decision, when it names none or
// cannot be read (resolveSide has reported a broken folder already).
func (m *Main) approver(pf *policyFlags, b string) map[saiasat.Lang]string {
	dir := b
	if isEdition(b) || b == "draft" {
		var err error
		if dir, err = pf.dir("diff"); err != nil {
			return nil
		}
	}
	p, _, err := source.Load(os.DirFS(dir), dir)
	if err != nil {
		return nil
	}
	return p.Approver
}

// resolveSide turns "3", "draft" or a folder path into a diff side.
func (m *Main) resolveSide(pf *policyFlags, s string) (*diff.Version, error) {
	if isEdition(s) {
		n, _ := strconv.Atoi(s)
		dir, err := pf.dir("diff")
		if err != nil {
			return nil, err
		}
		r, err := release.NewStore(dir).Release(n)
		if err != nil {
			return nil, err
		}
		return &diff.Version{ID: r.ID, Edition: n, Released: true, Canonical: true, Effective: r.Effective, Title: r.Title, Organization: r.Organization, Label: fmt.Sprintf("edition %d", n), Version: r.Version, Languages: r.Languages, Docs: r.Docs}, nil
	}
	dir := s
	label := s
	if s == "draft" {
		var err error
		if dir, err = pf.dir("diff"); err != nil {
			return nil, err
		}
	}
	p, fs, err := source.Load(os.DirFS(dir), dir)
	if err != nil {
		return nil, err
	}
	// A side whose metadata or files are broken has no version hash to name
	// it; comparing it would mislead.
	for _, f := range fs {
		switch f.Rule {
		case "meta/yaml", "meta/missing-key", "meta/invalid", "meta/missing-file", "meta/duplicate-key", "meta/unknown-key":
			return nil, fmt.Errorf("%s: %s [%s]; run saiasat check %s", f.Pos, f.Message, f.Rule, dir)
		}
	}
	return &diff.Version{ID: p.ID, Edition: p.Edition, Effective: p.Effective, Title: p.Title, Organization: p.Organization, Label: label, Version: draftVersion(p), Languages: p.Languages, Docs: p.Docs}, nil
}

// isEdition reports whether s names an edition: a number as written,
// "1" not "01". A folder named like a number is written "./2".
func isEdition(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n > 0 && strconv.Itoa(n) == s
}

// isTerminal reports whether w is a character device, such as a terminal,
// and colour is welcome (NO_COLOR unset, TERM not dumb).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
