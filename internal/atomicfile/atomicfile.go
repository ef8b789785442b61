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
func WriteFile(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: not every file system syncs folders
		d.Close()
	}
	return nil
}

// ErrExist is returned by Create when path already exists.
var ErrExist = os.ErrExist

// Create writes data to path only if nothing is there yet, so that of two
// processes creating one file at once, exactly one wins and the other gets
// an error matching ErrExist (and reads the winner's file). Like WriteFile,
// a reader never sees a half-written file: the bytes are synced in a
// temporary file, which is then hard-linked to path (link, unlike rename,
// never replaces).
func Create(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err = f.Chmod(perm); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err = os.Link(f.Name(), path); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
