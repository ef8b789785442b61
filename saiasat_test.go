package saiasat_test

import (
	"testing"
	"time"

	"github.com/saiasat/saiasat"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"3.12.1", "3.12.1", true},
		{"3.12.1.", "3.12.1", true},
		{"1", "1", true},
		{"", "", false},
		{"3..1", "", false},
		{"03.1", "", false},
		{"3.0", "", false},
		{"3.a", "", false},
		{"-1", "", false},
	}
	for _, tt := range tests {
		n, err := saiasat.ParseNumber(tt.in)
		if (err == nil) != tt.ok || (tt.ok && n.String() != tt.want) {
			t.Errorf("ParseNumber(%q) = %v, %v; want %q ok=%v", tt.in, n, err, tt.want, tt.ok)
		}
	}
}

func TestNumberCompare(t *testing.T) {
	order := []string{"1.1", "3.2", "3.10", "3.10.1", "3.11", "4"}
	for i := range order {
		for j := range order {
			a, _ := saiasat.ParseNumber(order[i])
			b, _ := saiasat.ParseNumber(order[j])
			want := 0
			switch {
			case i < j:
				want = -1
			case i > j:
				want = 1
			}
			if got := a.Compare(b); got != want {
				t.Errorf("%s.Compare(%s) = %d, want %d", a, b, got, want)
			}
		}
	}
	if n, _ := saiasat.ParseNumber("3.12.1"); n.Parent().String() != "3.12" || n.Last() != 1 {
		t.Errorf("Parent/Last of 3.12.1: %s %d", n.Parent(), n.Last())
	}
}

func TestHash(t *testing.T) {
	// printf 'abc' | sha256sum
	if got, want := saiasat.HashBytes([]byte("abc")), saiasat.Hash("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"); got != want {
		t.Errorf("HashBytes(abc) = %s, want %s", got, want)
	}
	for _, s := range []string{"", "sha256:", "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", "md5:900150983cd24fb0d6963f7d28e17f72", "sha256:ba78"} {
		if _, err := saiasat.ParseHash(s); err == nil {
			t.Errorf("ParseHash(%q) accepted", s)
		}
	}
	if _, err := saiasat.ParseHash("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"); err != nil {
		t.Error(err)
	}
}

// The byte form of a version hash is what docs/hashing.md shows; a reader
// recomputes it with printf and sha256sum.
func TestVersionBytes(t *testing.T) {
	v := saiasat.VersionInput{
		ID: "privacy", Edition: 1, Effective: time.Date(2025, 9, 16, 0, 0, 0, 0, time.UTC),
		Title:        map[saiasat.Lang]string{"ru": "Политика", "kk": "Саясат"},
		Organization: map[saiasat.Lang]string{"ru": "ТОО «МФО»", "kk": "ЖШС"},
		Texts:        map[saiasat.Lang]saiasat.Hash{"ru": "sha256:22", "kk": "sha256:11"},
	}
	want := "saiasat-version 1\nid privacy\nedition 1\neffective 2025-09-16\n" +
		"title kk Саясат\ntitle ru Политика\norganization kk ЖШС\norganization ru ТОО «МФО»\n" +
		"text kk sha256:11\ntext ru sha256:22\n"
	if got := string(v.Bytes()); got != want {
		t.Errorf("Bytes = %q, want %q", got, want)
	}
	if v.Hash() != saiasat.HashBytes([]byte(want)) {
		t.Errorf("Hash differs from the hash of Bytes")
	}
	v.Title["ru"] = "Политика ПОДМЕНЕНА"
	if v.Hash() == saiasat.HashBytes([]byte(want)) {
		t.Error("a changed title keeps the version hash")
	}
}

func TestFindingString(t *testing.T) {
	f := saiasat.Finding{Pos: saiasat.Pos{File: "p/kk.md", Line: 36, Col: 1}, Severity: saiasat.Error, Rule: "numbering/gap", Message: "clause 3.3 follows 3.1: 3.2 is missing"}
	if got, want := f.String(), "p/kk.md:36:1: error: clause 3.3 follows 3.1: 3.2 is missing [numbering/gap]"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	fs := []saiasat.Finding{
		{Pos: saiasat.Pos{File: "b", Line: 1}},
		{Pos: saiasat.Pos{File: "a", Line: 9}},
		{Pos: saiasat.Pos{File: "a", Line: 2, Col: 5}},
		{Pos: saiasat.Pos{File: "a", Line: 2, Col: 1}},
	}
	saiasat.SortFindings(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.Pos.String())
	}
	if want := "a:2:1 a:2:5 a:9 b:1"; joined(got) != want {
		t.Errorf("sorted %s, want %s", joined(got), want)
	}
}

func joined(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}
