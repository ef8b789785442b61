package check_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/check"
)

var sample = []saiasat.Finding{
	{Pos: saiasat.Pos{File: "p/kk.md", Line: 14, Col: 4}, Severity: saiasat.Error, Rule: "script/mixed",
		Message: `"сookies" mixes Latin and Cyrillic letters`, Fix: &saiasat.Fix{Offset: 1, Length: 2, Text: "cookies"}},
	{Pos: saiasat.Pos{File: "p/ru.md", Line: 3, Col: 1}, Severity: saiasat.Warning, Rule: "parity/anchor",
		Message: "50%, a: b,\nc"},
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	if err := check.Write(&b, "text", sample); err != nil {
		t.Fatal(err)
	}
	want := "p/kk.md:14:4: error: \"сookies\" mixes Latin and Cyrillic letters [script/mixed]\n" +
		"p/ru.md:3:1: warning: 50%, a: b,\nc [parity/anchor]\n"
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := check.Write(&b, "json", sample); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d objects, want 2", len(got))
	}
	first := got[0]
	for k, v := range map[string]any{"file": "p/kk.md", "line": 14.0, "col": 4.0, "severity": "error", "rule": "script/mixed", "fix": "cookies"} {
		if first[k] != v {
			t.Errorf("%s = %v, want %v", k, first[k], v)
		}
	}
	if _, ok := got[1]["fix"]; ok {
		t.Error("fix present on a finding without one")
	}
	b.Reset()
	if err := check.Write(&b, "json", nil); err != nil || b.String() != "[]\n" {
		t.Errorf("no findings: %q, %v; want []", b.String(), err)
	}
}

func TestWriteGitHub(t *testing.T) {
	var b bytes.Buffer
	if err := check.Write(&b, "github", sample); err != nil {
		t.Fatal(err)
	}
	want := "::error file=p/kk.md,line=14,col=4,title=script/mixed::\"сookies\" mixes Latin and Cyrillic letters\n" +
		"::warning file=p/ru.md,line=3,col=1,title=parity/anchor::50%25, a: b,%0Ac\n"
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	if err := check.Write(&bytes.Buffer{}, "xml", sample); err == nil {
		t.Error("no error for an unknown format")
	}
}

// An accepted finding is listed in every format, marked as accepted with
// its reason, never dropped.
func TestWriteAccepted(t *testing.T) {
	f := []saiasat.Finding{{Pos: saiasat.Pos{File: "p/ru.md", Line: 3, Col: 1}, Severity: saiasat.Warning, Rule: "parity/anchor",
		Message: `clause 1.1 lacks "SMS"`, Accepted: "СМС is SMS"}}
	want := map[string]string{
		"text":   "p/ru.md:3:1: accepted warning: clause 1.1 lacks \"SMS\" [parity/anchor] (reason: СМС is SMS)\n",
		"github": "::notice file=p/ru.md,line=3,col=1,title=parity/anchor::accepted: clause 1.1 lacks \"SMS\" (reason: СМС is SMS)\n",
	}
	for format, w := range want {
		var b bytes.Buffer
		if err := check.Write(&b, format, f); err != nil || b.String() != w {
			t.Errorf("%s: %q, %v; want %q", format, b.String(), err, w)
		}
	}
	var b bytes.Buffer
	if err := check.Write(&b, "json", append(f, sample[1])); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got[0]["accepted"] != true || got[0]["reason"] != "СМС is SMS" {
		t.Errorf("accepted finding as JSON: %v", got[0])
	}
	if _, ok := got[1]["accepted"]; ok {
		t.Errorf("open finding as JSON: %v", got[1])
	}
}
