package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/source"
)

// HashOptions are the flags of `saiasat hash`.
type HashOptions struct {
	Format  string
	Clauses bool
	Blocks  bool
}

func (m *Main) runHash(ctx context.Context, args []string) error {
	opt := HashOptions{Format: "text"}
	fs := m.newFlagSet("hash", "[DIR]", "Prints the version hash of a policy folder (default: every policy under\npolicies/) and the text hash of each language, computed over canonical form:\nthe text hash equals sha256sum of the file once saiasat fmt has run.")
	fs.StringVar(&opt.Format, "format", opt.Format, "output `format`: text or json (json includes clause and block hashes)")
	fs.BoolVar(&opt.Clauses, "clauses", false, "also print one hash per clause (text format)")
	fs.BoolVar(&opt.Blocks, "blocks", false, "also print one hash per block of every kind, by its stable ID (text format)")
	dirs, err := parse(fs, args)
	if err != nil {
		return err
	}
	if opt.Format != "text" && opt.Format != "json" {
		return usagef("saiasat hash --help", "unknown --format %q (want text or json)", opt.Format)
	}
	ps, err := loadPolicies(dirs)
	if err != nil {
		return err
	}
	var all []*canon.Hashes
	for _, l := range ps {
		p := l.policy
		var missing []string
		for _, f := range l.findings {
			if strings.HasPrefix(f.Rule, "meta/") && f.Severity.String() == "error" {
				missing = append(missing, f.Pos.String()+": "+f.Message)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s: cannot hash with invalid metadata: %s (run saiasat check)", p.Dir+"/"+source.MetaFile, missing[0])
		}
		h, err := canon.PolicyHashes(p)
		if err != nil {
			return err
		}
		for _, lh := range h.Languages {
			if !lh.Canonical {
				fmt.Fprintf(m.Stderr, "note: %s is not in canonical form; its hashes are those of the canonical form (run saiasat fmt)\n", lh.File)
			}
		}
		all = append(all, h)
	}
	if opt.Format == "json" {
		// Always an array, one object per policy, so consumers parse one shape.
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(all)
	}
	for _, h := range all {
		fmt.Fprintf(m.Stdout, "%s edition %d effective %s\n", h.ID, h.Edition, h.Effective)
		fmt.Fprintf(m.Stdout, "version  %s\n", h.Version)
		for _, lh := range h.Languages {
			fmt.Fprintf(m.Stdout, "%-8s %s  %s\n", lh.Lang, lh.Text, lh.File)
			if opt.Clauses {
				for _, c := range lh.Clauses {
					fmt.Fprintf(m.Stdout, "  %-10s %s  %s:%d-%d\n", c.Clause, c.Hash, lh.File, c.Line, c.EndLine)
				}
			}
			if opt.Blocks {
				for _, b := range lh.Blocks {
					fmt.Fprintf(m.Stdout, "  %-9s %-10s %s  %s:%d-%d\n", b.Kind, b.ID, b.Hash, lh.File, b.Line, b.EndLine)
				}
			}
		}
	}
	return nil
}
