package main

import (
	"context"
	"fmt"
	"os"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/internal/atomicfile"
)

// CheckOptions are the flags of `saiasat check`.
type CheckOptions struct {
	Format string
	Fix    bool
}

// NewCheckOptions returns the defaults.
func NewCheckOptions() CheckOptions { return CheckOptions{Format: check.FormatText} }

func (m *Main) runCheck(ctx context.Context, args []string) error {
	opt := NewCheckOptions()
	fs := m.newFlagSet("check", "[DIR...]", "Checks policy folders (default: every policy under policies/) and prints one\nline per finding: file:line:col: severity: message [rule].")
	fs.StringVar(&opt.Format, "format", opt.Format, "output `format`: text, json or github")
	fs.BoolVar(&opt.Fix, "fix", false, "apply every finding's fix in place, then check again")
	dirs, err := parse(fs, args)
	if err != nil {
		return err
	}
	if opt.Format != check.FormatText && opt.Format != check.FormatJSON && opt.Format != check.FormatGitHub {
		return usagef("saiasat check --help", "unknown --format %q (want text, json or github)", opt.Format)
	}
	findings, err := m.checkAll(dirs)
	if err != nil {
		return err
	}
	if opt.Fix {
		n, err := m.fix(dirs)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stderr, "fixed %d finding(s); checking again\n", n)
		if findings, err = m.checkAll(dirs); err != nil {
			return err
		}
	}
	if err := check.Write(m.Stdout, opt.Format, findings); err != nil {
		return err
	}
	if len(saiasat.Open(findings)) > 0 {
		return errFindings
	}
	return nil
}

func (m *Main) checkAll(dirs []string) ([]saiasat.Finding, error) {
	ps, err := loadPolicies(dirs)
	if err != nil {
		return nil, err
	}
	var all []saiasat.Finding
	for _, l := range ps {
		all = append(all, check.Policy(l.policy, l.findings)...)
	}
	return all, nil
}

// fix applies the fixes of every finding and writes the changed files.
func (m *Main) fix(dirs []string) (int, error) {
	ps, err := loadPolicies(dirs)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, l := range ps {
		if l.released {
			return total, fmt.Errorf("%s: a release's texts never change; --fix mends the draft", l.policy.Dir)
		}
		// An accepted finding is left as written.
		fs := saiasat.Open(check.Policy(l.policy, l.findings))
		for _, lang := range l.policy.Languages {
			doc := l.policy.Docs[lang]
			if doc == nil {
				continue
			}
			out, n := check.ApplyFixes(doc, fs)
			if string(out) == string(doc.Source) {
				continue
			}
			path := docPath(l.policy, lang)
			perm := os.FileMode(0o644)
			if fi, err := os.Stat(path); err == nil {
				perm = fi.Mode().Perm()
			}
			if err := atomicfile.WriteFile(path, out, perm); err != nil {
				return total, err
			}
			total += n
		}
	}
	return total, nil
}
