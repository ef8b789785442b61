package main

import (
	"strings"
	"testing"
)

// import proposes what the text says for policy.yaml and for approve (the
// stamp's decision number and date, the kind, the numbering it read), and
// refuses a numbering scheme it does not know.
func TestImportProposesMetadata(t *testing.T) {
	bin := buildBinary(t)
	tests := []struct {
		name, file string
		args       []string
		code       int
		stderr     []string
		stdout     string
	}{
		{"ru stamp, sections", "altyn-dala-privacy/ru.txt", nil, 0, []string{"kind: privacy-policy", "numbering: sections", "edition: 1", "effective: 2023-12-01",
			"# approval stamp: decision № 7 of 2023-11-15"}, "\n3.2. Право"},
		{"kk stamp with хаттамасымен, flat read from the text", "sapa-rules/kk.txt", nil, 0, []string{"kind: rules", "numbering: flat", "effective: 2024-03-01",
			"# approval stamp: decision № 3 of 2024-02-20"}, "\n8. Қағидалар"},
		{"consent form, no numbers", "aqniet-consent/ru.txt", []string{"--numbering", "none"}, 0, []string{"kind: consent", "numbering: none", `dropped page number "Страница 1 из 2"`}, "\n::: signature\n"},
		// --numbering decides: the flat text read as sections has headings
		// "## 27. …" where policy.yaml's scheme has clauses "27. …".
		{"--numbering overrides what the text suggests", "shapagat-privacy/ru.txt", []string{"--numbering", "sections"}, 0, []string{"numbering: sections"}, "\n## 27. Новая редакция"},
		{"unknown scheme", "aqniet-consent/ru.txt", []string{"--numbering", "roman"}, 2, []string{`--numbering "roman"`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"import", "--lang", tt.file[strings.Index(tt.file, "/")+1:][:2]}, tt.args...)
			code, stdout, stderr := exe(t, bin, append(args, "../../testdata/corpus/"+tt.file)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d:\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout)
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
		})
	}
}
