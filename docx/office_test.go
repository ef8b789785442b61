package docx

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// soffice runs headless LibreOffice with a profile of the test's own, so
// that tests running at once do not share one (LibreOffice locks it). It
// fails, never skips, when LibreOffice is missing: make deps installs it.
func soffice(t testing.TB, dir string, args ...string) {
	t.Helper()
	sofficeIn(t, filepath.Join(t.TempDir(), "profile"), dir, args...)
}

// sofficeIn runs LibreOffice with the profile in the folder profileDir.
func sofficeIn(t testing.TB, profileDir, dir string, args ...string) {
	t.Helper()
	bin, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatalf("LibreOffice (soffice) is needed: run make deps (libreoffice-writer-nogui): %v", err)
	}
	profile := "file://" + profileDir
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"-env:UserInstallation=" + profile, "--headless", "--norestore"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// acceptMacro is a LibreOffice Basic module: AllChanges opens a document,
// accepts or rejects all its tracked changes (Edit ▸ Track Changes ▸
// Accept All, Reject All: the command given) and saves its text as UTF-8.
const acceptMacro = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub AllChanges(command As String, inPath As String, outPath As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), &quot;_blank&quot;, 0, args())
  dispatcher = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  dispatcher.executeDispatch(doc.getCurrentController().getFrame(), &quot;.uno:&quot; &amp; command, &quot;&quot;, 0, Array())
  Dim out(1) As New com.sun.star.beans.PropertyValue
  out(0).Name = &quot;FilterName&quot;
  out(0).Value = &quot;Text (encoded)&quot;
  out(1).Name = &quot;FilterOptions&quot;
  out(1).Value = &quot;UTF8&quot;
  doc.storeToURL(ConvertToURL(outPath), out())
  doc.close(True)
  StarDesktop.terminate()
End Sub
</script:module>
`

// textAsIs returns a document's text as LibreOffice saves it, tracked
// changes not accepted (deleted words included), and acceptAll the text
// after accepting them all. Both use one profile: the first run creates
// it, the macro is then put in its Standard library.
func textAsIs(t testing.TB, src, profile string) []byte {
	t.Helper()
	out := t.TempDir()
	sofficeIn(t, profile, out, "--convert-to", "txt:Text (encoded):UTF8", "--outdir", out, src)
	b, err := os.ReadFile(filepath.Join(out, strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func acceptAll(t testing.TB, src, profile string) []byte {
	t.Helper()
	return allChanges(t, "AcceptAllTrackedChanges", src, profile)
}

// rejectAll returns the text after rejecting all tracked changes.
func rejectAll(t testing.TB, src, profile string) []byte {
	t.Helper()
	return allChanges(t, "RejectAllTrackedChanges", src, profile)
}

func allChanges(t testing.TB, command, src, profile string) []byte {
	t.Helper()
	if err := os.WriteFile(filepath.Join(profile, "user", "basic", "Standard", "Module1.xba"), []byte(acceptMacro), 0o644); err != nil {
		t.Fatalf("LibreOffice profile has no Standard library: %v", err)
	}
	out := filepath.Join(t.TempDir(), "changes.txt")
	sofficeIn(t, profile, filepath.Dir(out), fmt.Sprintf("macro:///Standard.Module1.AllChanges(%q,%q,%q)", command, src, out))
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("the %s macro wrote nothing: %v", command, err)
	}
	return b
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
	// Not named .md: internal/fidelity reads every .md under a testdata
	// folder through the HTML and PDF renderers, which do not yet read the
	// new structures (approval stamp, tables) this text has.
	golden(t, "sample.golden", res.Text)
	// The text parses into the source format's blocks and passes check.
	doc, parsed := markdown.Parse("sample.md", "ru", res.Text)
	for _, f := range append(parsed, check.Document(doc)...) {
		t.Errorf("imported text fails check: %s", f)
	}
	kinds := map[saiasat.Kind]int{}
	saiasat.WalkBlocks(doc.Blocks, func(b *saiasat.Block) bool { kinds[b.Kind]++; return true })
	for k, n := range map[saiasat.Kind]int{saiasat.KindApproval: 1, saiasat.KindSection: 2, saiasat.KindClause: 8, saiasat.KindItem: 5, saiasat.KindTable: 1, saiasat.KindFootnote: 1} {
		if kinds[k] != n {
			t.Errorf("%d blocks of kind %s, want %d (all: %v)", kinds[k], k, n, kinds)
		}
	}
	var fs []string
	for _, f := range res.Findings("sample.docx") {
		fs = append(fs, f.String())
	}
	golden(t, "sample.findings", []byte(strings.Join(fs, "\n")+"\n"))
}
