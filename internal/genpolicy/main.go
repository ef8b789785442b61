// Command genpolicy writes a policy folder with N approved editions of
// generated text, for measuring the server with many editions loaded
// (make bench). Not part of saiasat.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
	"github.com/saiasat/saiasat/release"
)

func main() {
	out := flag.String("o", "", "policies folder to create")
	n := flag.Int("editions", 100, "approved editions")
	clauses := flag.Int("clauses", 60, "clauses per edition")
	flag.Parse()
	if *out == "" {
		log.Fatal("genpolicy: -o is required")
	}
	dir := filepath.Join(*out, "generated")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	words := strings.Fields("дербес деректер Пайдаланушы өңдеу МҚҰ келісім сақтау жинау беру персональные данные Пользователь обработка согласие хранение")
	rng := rand.New(rand.NewPCG(1, 1))
	text := func(ed int) []byte {
		var b strings.Builder
		for c := 1; c <= *clauses; c++ {
			if (c-1)%10 == 0 {
				fmt.Fprintf(&b, "## %d. Бөлім\n\n", (c-1)/10+1)
			}
			ws := make([]string, 20+rng.IntN(30))
			for i := range ws {
				ws[i] = words[rng.IntN(len(words))]
			}
			fmt.Fprintf(&b, "%d.%d. %s %d.\n\n", (c-1)/10+1, (c-1)%10+1, strings.Join(ws, " "), ed)
		}
		return []byte(strings.TrimSuffix(b.String(), "\n"))
	}
	s := release.NewStore(dir)
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for ed := 1; ed <= *n; ed++ {
		eff := start.AddDate(0, 0, 7*ed)
		p := &saiasat.Policy{Dir: dir, ID: "generated", Languages: []saiasat.Lang{"kk", "ru"}, Edition: ed, Effective: eff,
			Title:        map[saiasat.Lang]string{"kk": "Саясат", "ru": "Политика"},
			Organization: map[saiasat.Lang]string{"kk": "ЖШС", "ru": "ТОО"}, Docs: map[saiasat.Lang]*saiasat.Document{}}
		for _, l := range p.Languages {
			p.Docs[l], _ = markdown.Parse(string(l)+".md", l, text(ed))
		}
		r, err := s.Freeze(p, release.FreezeOptions{Edition: ed, Effective: eff})
		if err != nil {
			log.Fatal(err)
		}
		if _, err := s.Approve(release.ApproveOptions{Edition: ed, Hash: r.Version, Decision: "generated", Date: eff, Approver: "genpolicy"}); err != nil {
			log.Fatal(err)
		}
	}
	meta := fmt.Sprintf("id: generated\nlanguages: [kk, ru]\ntitle: {kk: Саясат, ru: Политика}\norganization: {kk: ЖШС, ru: ТОО}\nedition: %d\neffective: %s\n", *n+1, start.AddDate(0, 0, 7*(*n+1)).Format(saiasat.DateLayout))
	os.WriteFile(filepath.Join(dir, "policy.yaml"), []byte(meta), 0o644)
	os.WriteFile(filepath.Join(dir, "kk.md"), text(*n+1), 0o644)
	os.WriteFile(filepath.Join(dir, "ru.md"), text(*n+1), 0o644)
}
