package source_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/source"
)

func TestReadFile(t *testing.T) {
	fsys := fstest.MapFS{
		"ok.md":    {Data: []byte("1.1. текст\n")},
		"bin.md":   {Data: []byte("PK\x03\x04\x00\x00")},
		"u16.md":   {Data: []byte("\xff\xfe1\x00.\x00")},
		"u16be.md": {Data: []byte("\xfe\xff\x001\x00.")},
		"big.md":   {Data: make([]byte, source.MaxFileSize+1)},
		"dir":      {Mode: 0o755 | 1<<31},
	}
	tests := []struct {
		name, want string
	}{
		{"ok.md", ""},
		{"bin.md", "shown/bin.md: binary file (NUL byte at offset 4)"},
		{"u16.md", "shown/u16.md: UTF-16; save as UTF-8"},
		{"u16be.md", "shown/u16be.md: UTF-16; save as UTF-8"},
		{"big.md", "shown/big.md: 4.2 MB is over the 4 MiB limit"},
		{"missing.md", "shown/missing.md: file does not exist"},
		{"dir", "shown/dir: is a directory"},
	}
	for _, tt := range tests {
		_, err := source.ReadFile(fsys, tt.name, "shown/"+tt.name)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestDiscover(t *testing.T) {
	one := fstest.MapFS{"policy.yaml": {}, "kk.md": {}}
	if got, err := source.Discover(one); err != nil || !slices.Equal(got, []string{"."}) {
		t.Errorf("policy folder: %v, %v", got, err)
	}
	many := fstest.MapFS{"b/policy.yaml": {}, "a/policy.yaml": {}, "c/readme.md": {}}
	if got, err := source.Discover(many); err != nil || !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("folder of policies: %v, %v", got, err)
	}
	if _, err := source.Discover(fstest.MapFS{"x/kk.md": {}}); err == nil || !strings.Contains(err.Error(), "no policy.yaml") {
		t.Errorf("no policy: %v", err)
	}
}

func TestLoadBundledPolicy(t *testing.T) {
	// A policy with every key; the loader fills the domain fields.
	fsys := fstest.MapFS{
		"policy.yaml": {Data: []byte("id: privacy\nlanguages: [kk, ru]\ntitle: {kk: Саясат, ru: Политика}\norganization: {kk: ЖШС, ru: ТОО}\nedition: 2\neffective: 2026-12-01\n")},
		"kk.md":       {Data: []byte("## 1. А\n\n1.1. мәтін\n")},
		"ru.md":       {Data: []byte("## 1. А\n\n1.1. текст\n")},
	}
	p, fs, err := source.Load(fsys, "policies/privacy")
	if err != nil || len(fs) != 0 {
		t.Fatalf("Load: %v %v", err, fs)
	}
	if p.ID != "privacy" || p.Edition != 2 || p.Effective.Format("2006-01-02") != "2026-12-01" || p.Title["ru"] != "Политика" || p.Organization["kk"] != "ЖШС" {
		t.Errorf("policy %+v", p)
	}
	if d := p.Docs["ru"]; d == nil || d.File != "policies/privacy/ru.md" || len(d.Clauses()) != 1 {
		t.Errorf("ru document %+v", d)
	}
	if len(p.Approver) != 0 {
		t.Errorf("approver %v without the key, want none (the sole participant's decision)", p.Approver)
	}
	// approver is optional, but when given it names every language.
	fsys["policy.yaml"].Data = append(fsys["policy.yaml"].Data, "approver: {kk: Директордың бұйрығы, ru: Приказ директора}\n"...)
	if p, fs, err = source.Load(fsys, "policies/privacy"); err != nil || len(fs) != 0 || p.Approver["ru"] != "Приказ директора" || p.Approver["kk"] != "Директордың бұйрығы" {
		t.Errorf("approver: %v %v %v", p.Approver, fs, err)
	}
	fsys["policy.yaml"] = &fstest.MapFile{Data: []byte("id: privacy\nlanguages: [kk, ru]\ntitle: {kk: Саясат, ru: Политика}\norganization: {kk: ЖШС, ru: ТОО}\nedition: 2\neffective: 2026-12-01\napprover: {ru: Приказ директора}\n")}
	if _, fs, _ = source.Load(fsys, "policies/privacy"); len(fs) != 1 || fs[0].Message != "missing approver.kk" {
		t.Errorf("approver without kk: %v", fs)
	}
}

// kind: and numbering: are optional, default to the bundled policy's, are
// validated, and the numbering scheme reaches the parser.
func TestLoadKindNumbering(t *testing.T) {
	const base = "id: consent-2024\nlanguages: [kk, ru]\ntitle: {kk: Келісім, ru: Согласие}\norganization: {kk: ЖШС, ru: ТОО}\nedition: 1\neffective: 2026-12-01\n"
	texts := map[string]string{
		"kk.md": "# Келісім\n\n1. Бірінші.\n2. Екінші.\n",
		"ru.md": "# Согласие\n\n1. Первое.\n2. Второе.\n",
	}
	tests := []struct {
		name, extra string
		kind        saiasat.DocKind
		numbering   saiasat.Numbering
		clauses     int    // clauses parsed in ru.md
		finding     string // the one finding's rule and message start, "" for none
	}{
		{"defaults", "", saiasat.DocPrivacy, saiasat.NumberingSections, 0, ""},
		{"consent flat", "kind: consent\nnumbering: flat\n", saiasat.DocConsent, saiasat.NumberingFlat, 2, ""},
		{"rules none", "kind: rules\nnumbering: none\n", saiasat.DocRules, saiasat.NumberingNone, 0, ""},
		{"offer sections", "kind: offer\nnumbering: sections\n", saiasat.DocOffer, saiasat.NumberingSections, 0, ""},
		{"bad kind", "kind: contract\n", saiasat.DocPrivacy, saiasat.NumberingSections, 0, "meta/invalid: kind must be one of privacy-policy, consent, rules, offer, other"},
		{"bad numbering", "numbering: roman\n", saiasat.DocPrivacy, saiasat.NumberingSections, 0, "meta/invalid: numbering must be one of sections, flat, none"},
		{"numbering list", "numbering: [flat]\n", saiasat.DocPrivacy, saiasat.NumberingSections, 0, "meta/invalid: numbering must be one of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"policy.yaml": {Data: []byte(base + tt.extra)}}
			for n, s := range texts {
				fsys[n] = &fstest.MapFile{Data: []byte(s)}
			}
			p, fs, err := source.Load(fsys, "consent-2024")
			if err != nil {
				t.Fatal(err)
			}
			if p.Kind != tt.kind || p.Numbering != tt.numbering {
				t.Errorf("kind %q numbering %q, want %q %q", p.Kind, p.Numbering, tt.kind, tt.numbering)
			}
			if got := len(p.Docs["ru"].Clauses()); got != tt.clauses {
				t.Errorf("%d clauses in ru.md, want %d", got, tt.clauses)
			}
			switch {
			case tt.finding == "" && len(fs) != 0:
				t.Errorf("findings %v, want none", fs)
			case tt.finding != "" && (len(fs) != 1 || !strings.HasPrefix(fs[0].Rule+": "+fs[0].Message, tt.finding) || fs[0].Pos.Line != 7):
				t.Errorf("findings %v, want one at line 7: %s…", fs, tt.finding)
			}
		})
	}
}
