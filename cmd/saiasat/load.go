package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/source"
)

// DefaultPolicies is where policies live when no folder is named.
const DefaultPolicies = "policies"

type loaded struct {
	policy   *saiasat.Policy
	findings []saiasat.Finding
}

// loadPolicies loads the policy folders named by dirs — each a policy folder
// or a folder of them — or every policy under policies/.
func loadPolicies(dirs []string) ([]loaded, error) {
	if len(dirs) == 0 {
		dirs = []string{DefaultPolicies}
	}
	var out []loaded
	for _, dir := range dirs {
		fi, err := os.Stat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("%s: no such file or directory", dir)
		case err != nil:
			return nil, err
		case !fi.IsDir():
			return nil, fmt.Errorf("%s: not a folder: name a policy folder (with %s) or a folder of them", dir, source.MetaFile)
		}
		subs, err := source.Discover(os.DirFS(dir))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
		for _, sub := range subs {
			pdir := filepath.Join(dir, sub)
			p, fs, err := source.Load(os.DirFS(pdir), pdir)
			if err != nil {
				return nil, err
			}
			out = append(out, loaded{policy: p, findings: fs})
		}
	}
	return out, nil
}

// docPath returns the file a document was read from.
func docPath(p *saiasat.Policy, lang saiasat.Lang) string {
	return filepath.Join(p.Dir, string(lang)+".md")
}
