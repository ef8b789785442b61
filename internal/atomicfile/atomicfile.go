// Package atomicfile writes files so that a reader sees the old bytes or the
// new ones, never a mix, and a crash leaves no half-written file behind.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile writes data to a temporary file in path's folder, syncs it,
// renames it over path and syncs the folder.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return place(path, data, perm, os.Rename, "write")
}

// ErrExist is returned by Create when path already exists.
var ErrExist = os.ErrExist

// Create writes data to path only if nothing is there yet, so that of two
// processes creating one file at once, exactly one wins and the other gets
// an error matching ErrExist (and reads the winner's file). Like WriteFile,
// a reader never sees a half-written file: the bytes are synced in a
// temporary file, which is then hard-linked to path (link, unlike rename,
// never replaces).
func Create(path string, data []byte, perm os.FileMode) error {
	return place(path, data, perm, os.Link, "create")
}

// place writes data to a synced temporary file beside path, puts it at
// path with put (rename or link), and syncs the folder; the temporary
// name is gone afterwards either way.
func place(path string, data []byte, perm os.FileMode, put func(tmp, path string) error, verb string) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("%s %s: %w", verb, path, err)
	}
	// After a rename the temporary name is gone and Remove fails
	// harmlessly; after a link or a failure it drops the temporary file.
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err = f.Write(data); err == nil {
		if err = f.Chmod(perm); err == nil {
			if err = f.Sync(); err == nil {
				err = put(f.Name(), path)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", verb, path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: not every file system syncs folders
		d.Close()
	}
	return nil
}
