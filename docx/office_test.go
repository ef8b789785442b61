package docx

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// soffice runs headless LibreOffice with a profile of the test's own, so
// that tests running at once do not share one (LibreOffice locks it). It
// fails, never skips, when LibreOffice is missing: make deps installs it.
func soffice(t testing.TB, dir string, args ...string) {
	t.Helper()
	bin, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatalf("LibreOffice (soffice) is needed: run make deps (libreoffice-writer-nogui): %v", err)
	}
	profile := "file://" + filepath.Join(t.TempDir(), "profile")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"-env:UserInstallation=" + profile, "--headless", "--norestore"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// convert converts src with LibreOffice into format (docx, odt, txt…) in a
// temporary directory and returns the new file's bytes.
func convert(t testing.TB, src, format string) []byte {
	t.Helper()
	out := t.TempDir()
	soffice(t, out, "--convert-to", format, "--outdir", out, src)
	name := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src)) + "." + strings.SplitN(format, ":", 2)[0]
	b, err := os.ReadFile(filepath.Join(out, name))
	if err != nil {
		t.Fatalf("LibreOffice wrote no %s: %v", name, err)
	}
	return b
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// TestImportLibreOffice imports a .docx that LibreOffice makes from
// testdata/sample.fodt: multi-level clause numbering restarting per
// section, letter items, nested items, a table, a footnote, bold, an
// approval stamp and a header with a page number.
func TestImportLibreOffice(t *testing.T) {
	t.Parallel()
	src, err := filepath.Abs("testdata/sample.fodt")
	if err != nil {
		t.Fatal(err)
	}
	data := convert(t, src, "docx")
	res, err := Import(data)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "sample.md", res.Text)
	var fs []string
	for _, f := range res.Findings("sample.docx") {
		fs = append(fs, f.String())
	}
	golden(t, "sample.findings", []byte(strings.Join(fs, "\n")+"\n"))
}
