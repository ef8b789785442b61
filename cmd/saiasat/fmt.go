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
	// Format every file before writing any, so a file fmt cannot format
	// (invalid UTF-8) leaves all of them as they were.
	type rewrite struct {
		file string
		out  []byte
	}
	var todo []rewrite
	for _, l := range ps {
		if l.released && !opt.Check {
			return fmt.Errorf("%s: a release's texts never change; fmt the draft instead", l.policy.Dir)
		}
		for _, lang := range l.policy.Languages {
			doc := l.policy.Docs[lang]
			if doc == nil {
				continue
			}
			out, err := canon.FormatDoc(doc)
			if err != nil {
				return fmt.Errorf("%s: %w; no file was changed", doc.File, err)
			}
			if !bytes.Equal(out, doc.Source) {
				todo = append(todo, rewrite{doc.File, out})
			}
		}
	}
	for _, r := range todo {
		fmt.Fprintln(m.Stdout, r.file)
		if opt.Check {
			continue
		}
		perm := os.FileMode(0o644)
		if fi, err := os.Stat(r.file); err == nil {
			perm = fi.Mode().Perm()
		}
		if err := atomicfile.WriteFile(r.file, r.out, perm); err != nil {
			return err
		}
	}
	if opt.Check && len(todo) > 0 {
		return errFindings
	}
	return nil
}
