package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/source"
)

// DefaultPolicies is where policies live when no folder is named.
const DefaultPolicies = "policies"

type loaded struct {
	policy   *saiasat.Policy
	findings []saiasat.Finding
	// released is set for a release folder, whose texts never change.
	released bool
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
		// A release folder (policies/<id>/releases/<N>) is checked as it
		// was frozen, after its hashes are verified.
		if _, err := os.Stat(filepath.Join(dir, release.MetaFile)); err == nil {
			l, err := loadRelease(dir)
			if err != nil {
				return nil, err
			}
			out = append(out, l)
			continue
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

// loadRelease loads the release in folder dir (…/releases/<N>) through
// its store, which verifies it and the chain before it.
func loadRelease(dir string) (loaded, error) {
	clean := filepath.Clean(dir)
	n, err := strconv.Atoi(filepath.Base(clean))
	releases := filepath.Dir(clean)
	if err != nil || filepath.Base(releases) != release.Folder {
		return loaded{}, fmt.Errorf("%s: a release folder is <policy>/%s/<edition>", dir, release.Folder)
	}
	policyDir := filepath.Dir(releases)
	r, err := release.NewStore(policyDir).Release(n)
	if err != nil {
		return loaded{}, err
	}
	return loaded{policy: r.Policy(clean), released: true}, nil
}

// docPath returns the file a document was read from.
func docPath(p *saiasat.Policy, lang saiasat.Lang) string {
	return filepath.Join(p.Dir, string(lang)+".md")
}
