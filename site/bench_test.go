package site_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/site"
)

// BenchmarkPublishPolicy builds the whole site of the bundled policy: both
// languages, every approved edition, HTML, PDFs and the API mirror.
func BenchmarkPublishPolicy(b *testing.B) {
	rs, err := release.NewStore(bundled).Releases()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := site.Build([]site.Input{{Releases: rs}}, site.Options{Now: now}); err != nil {
			b.Fatal(err)
		}
	}
}

var words = strings.Fields("дербес деректер Пайдаланушы өңдеу МҚҰ келісім сақтау жинау беру тарату жою персональные данные Пользователь обработка согласие хранение сбор передача")

// generatedText is a policy text of sections × per clauses.
func generatedText(seed uint64, sections, per int) []byte {
	rng := rand.New(rand.NewPCG(seed, 2))
	var b strings.Builder
	for s := 1; s <= sections; s++ {
		fmt.Fprintf(&b, "## %d. Бөлім %d\n\n", s, s)
		for c := 1; c <= per; c++ {
			ws := make([]string, 12+rng.IntN(29))
			for k := range ws {
				ws[k] = words[rng.IntN(len(words))]
			}
			fmt.Fprintf(&b, "%d.%d. %s.\n\n", s, c, strings.Join(ws, " "))
		}
	}
	return []byte(strings.TrimSuffix(b.String(), "\n"))
}

// generatedRelease is an approved release of 10,000 clauses in kk and ru.
func generatedRelease() *saiasat.Release {
	eff := time.Date(2025, 9, 16, 0, 0, 0, 0, time.UTC)
	r := &saiasat.Release{ID: "big", Edition: 1, Effective: eff, Languages: []saiasat.Lang{"kk", "ru"}, Status: saiasat.StatusApproved,
		Title: map[saiasat.Lang]string{"kk": "Саясат", "ru": "Политика"}, Organization: map[saiasat.Lang]string{"kk": "ЖШС", "ru": "ТОО"},
		Texts: map[saiasat.Lang]saiasat.Hash{}, Docs: map[saiasat.Lang]*saiasat.Document{}}
	for i, l := range r.Languages {
		text := generatedText(uint64(i), 100, 100)
		r.Docs[l], _ = markdown.Parse(string(l)+".md", l, text)
		r.Texts[l] = saiasat.HashBytes(text)
	}
	r.Version = saiasat.VersionInput{ID: r.ID, Edition: 1, Effective: eff, Title: r.Title, Organization: r.Organization, Texts: r.Texts}.Hash()
	r.Approval = &saiasat.Approval{Version: r.Version, Decision: "d", Date: eff, Approver: "a", RecordedAt: eff}
	return r
}

func BenchmarkPublish10000Clauses(b *testing.B) {
	r := generatedRelease()
	for b.Loop() {
		if _, err := site.Build([]site.Input{{Releases: []*saiasat.Release{r}}}, site.Options{Now: now}); err != nil {
			b.Fatal(err)
		}
	}
}

// The peer: pandoc (Debian's package) converting the same Markdown to a
// standalone HTML page, per language — HTML only, no PDF, no API, no diff.
func pandoc(b *testing.B, texts ...[]byte) {
	if _, err := exec.LookPath("pandoc"); err != nil {
		b.Skip("pandoc not found: make bench installs it")
	}
	for b.Loop() {
		for _, t := range texts {
			cmd := exec.Command("pandoc", "-s", "-f", "markdown", "-t", "html", "--metadata", "title=policy")
			cmd.Stdin = bytes.NewReader(t)
			if out, err := cmd.Output(); err != nil || len(out) == 0 {
				b.Fatalf("pandoc: %v", err)
			}
		}
	}
}

func BenchmarkPandocPolicyPeer(b *testing.B) {
	kk, err := os.ReadFile(bundled + "/releases/1/kk.md")
	if err != nil {
		b.Fatal(err)
	}
	ru, err := os.ReadFile(bundled + "/releases/1/ru.md")
	if err != nil {
		b.Fatal(err)
	}
	pandoc(b, kk, ru)
}

func BenchmarkPandoc10000ClausesPeer(b *testing.B) {
	pandoc(b, generatedText(0, 100, 100), generatedText(1, 100, 100))
}
