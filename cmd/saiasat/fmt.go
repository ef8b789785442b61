package main

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/internal/atomicfile"
)

// FmtOptions are the flags of `saiasat fmt`.
type FmtOptions struct {
	Check bool
}

func (m *Main) runFmt(ctx context.Context, args []string) error {
	var opt FmtOptions
	fs := m.newFlagSet("fmt", "[DIR...]", "Rewrites the texts of policy folders (default: every policy under policies/)\ninto canonical form: NFC, LF, no trailing spaces, one blank line between\nblocks, one final newline. It never changes a letter.")
	fs.BoolVar(&opt.Check, "check", false, "list the files that would change and exit 1; change nothing")
	dirs, err := parse(fs, args)
	if err != nil {
		return err
	}
	ps, err := loadPolicies(dirs)
	if err != nil {
		return err
	}
	changed := 0
	for _, l := range ps {
		for _, lang := range l.policy.Languages {
			doc := l.policy.Docs[lang]
			if doc == nil {
				continue
			}
			out, err := canon.Format(doc.Source)
			if err != nil {
				return fmt.Errorf("%s: %w", doc.File, err)
			}
			if bytes.Equal(out, doc.Source) {
				continue
			}
			changed++
			fmt.Fprintln(m.Stdout, doc.File)
			if opt.Check {
				continue
			}
			perm := os.FileMode(0o644)
			if fi, err := os.Stat(doc.File); err == nil {
				perm = fi.Mode().Perm()
			}
			if err := atomicfile.WriteFile(doc.File, out, perm); err != nil {
				return err
			}
		}
	}
	if opt.Check && changed > 0 {
		return errFindings
	}
	return nil
}
