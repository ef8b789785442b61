// Package testtool runs the Debian tools the tests use (poppler's pdftotext
// and pdfinfo, tidy, chromium): a missing tool skips a test on a
// developer's machine and fails it in CI (CI set), where make deps has
// installed it.
package testtool

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// Require returns the path of tool, skipping the test (failing it in CI)
// when it is not installed.
func Require(t testing.TB, tool string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not found: make deps installs it", tool)
		}
		t.Skipf("%s not found (make deps installs it)", tool)
	}
	return path
}

// PDFText returns the text pdftotext extracts from pdf.
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return PDFFileText(t, f)
}

// PDFFileText returns the text pdftotext extracts from the PDF file.
func PDFFileText(t testing.TB, file string) string {
	t.Helper()
	out, err := exec.Command(Require(t, "pdftotext"), "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", file, err)
	}
	return string(out)
}

// Parallel runs f(0) … f(n-1) at once, each in its own goroutine, and
// returns their errors by index once all have returned.
func Parallel(n int, f func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(i)
		}()
	}
	wg.Wait()
	return errs
}
