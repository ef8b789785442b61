package diff_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/diff"
)

var vocab = strings.Fields("дербес деректер Пайдаланушы өңдеу МҚҰ келісім сақтау жинау беру тарату жою бұғаттау " +
	"персональные данные Пользователь обработка согласие хранение сбор передача распространение уничтожение блокирование " +
	"Сайт микрокредит шарт заң талап құжат ақпарат үшінші тұлға кредиттік бюро")

// policyText writes sections × per clauses of 12–40 random words; edit may
// change the list of clause bodies of each section before numbering.
func policyText(rng *rand.Rand, sections, per int, edit func(sec int, bodies []string) []string) []byte {
	var b strings.Builder
	for s := 1; s <= sections; s++ {
		bodies := make([]string, per)
		for i := range bodies {
			ws := make([]string, 12+rng.IntN(29))
			for k := range ws {
				ws[k] = vocab[rng.IntN(len(vocab))]
			}
			bodies[i] = strings.Join(ws, " ") + "."
		}
		if edit != nil {
			bodies = edit(s, bodies)
		}
		fmt.Fprintf(&b, "## %d. Бөлім\n\n", s)
		for i, body := range bodies {
			fmt.Fprintf(&b, "%d.%d. %s\n\n", s, i+1, body)
		}
	}
	// Canonical form, as a release stores it: no blank line at the end.
	return []byte(strings.TrimSuffix(b.String(), "\n"))
}

// generated returns two versions of a policy of 10,000 clauses (100
// sections of 100) in two languages. The new one has, per section, one
// clause inserted at the top (renumbering the section), one deleted, three
// with a word changed, and every tenth section gives one clause to the next.
func generated() (*diff.Version, *diff.Version) {
	oldTexts := map[saiasat.Lang][]byte{}
	newTexts := map[saiasat.Lang][]byte{}
	for k, lang := range []saiasat.Lang{"kk", "ru"} {
		oldTexts[lang] = policyText(rand.New(rand.NewPCG(uint64(k), 1)), 100, 100, nil)
		var carried string
		newTexts[lang] = policyText(rand.New(rand.NewPCG(uint64(k), 1)), 100, 100, func(sec int, bodies []string) []string {
			bodies = append([]string{"Жаңа тармақ " + fmt.Sprint(sec) + "."}, bodies...)
			bodies = append(bodies[:50], bodies[51:]...)
			for _, i := range []int{10, 20, 30} {
				bodies[i] = strings.Replace(bodies[i], " ", " өзгертілген ", 1)
			}
			if carried != "" {
				bodies = append(bodies, carried)
				carried = ""
			}
			if sec%10 == 0 {
				carried = bodies[70]
				bodies = append(bodies[:70], bodies[71:]...)
			}
			return bodies
		})
	}
	return version("old", 1, oldTexts), version("new", 2, newTexts)
}

// BenchmarkDiff10000Clauses compares two releases: texts known to be
// canonical, as a verified release's are.
func BenchmarkDiff10000Clauses(b *testing.B) {
	from, to := generated()
	from.Canonical, to.Canonical = true, true
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		diff.Compare(from, to)
	}
	reportCPU(b, cpu)
}

// BenchmarkDiff10000ClausesDraft compares a release with a draft, whose
// texts the diff brings to canonical form first.
func BenchmarkDiff10000ClausesDraft(b *testing.B) {
	from, to := generated()
	from.Canonical = true
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		diff.Compare(from, to)
	}
	reportCPU(b, cpu)
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the CPU time per operation, both cores counted: on a
// shared machine the wall time measures the other processes too, the CPU
// time only this one (with the garbage collector's share).
func reportCPU(b *testing.B, since time.Duration) {
	b.ReportMetric(float64(cpuTime()-since)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkDiffEdition1 compares the bundled edition 1 (release 1) with the
// working draft of edition 2, in both languages.
func BenchmarkDiffEdition1(b *testing.B) {
	from, to := edition1And2(b)
	cpu := cpuTime()
	for b.Loop() {
		diff.Compare(from, to)
	}
	reportCPU(b, cpu)
}

func TestGeneratedDiffShape(t *testing.T) {
	from, to := generated()
	// The benchmark may call the texts canonical only if they are.
	for _, v := range []*diff.Version{from, to} {
		for l, d := range v.Docs {
			if c, err := canon.Format(d.Source); err != nil || !bytes.Equal(c, d.Source) {
				t.Fatalf("%s %s: generated text is not canonical", v.Label, l)
			}
		}
	}
	from.Canonical = true
	r := diff.Compare(from, to)
	for _, ld := range r.Languages {
		s := ld.Summary
		// 100 inserted; 100 deleted, and the clause section 100 would carry
		// to a section 101 that does not exist; 9 moved (sections 10–90 to
		// the next); 300 with a word changed, renumbered by the insertion:
		// modified, as every clause whose words changed.
		if s.Added != 100 || s.Removed != 101 || s.Moved != 9 || s.Modified != 300 || s.Renumbered+s.Unchanged+s.Moved != 9599 {
			t.Errorf("%s: %+v", ld.Lang, s)
		}
		withOps := 0
		for _, c := range ld.Changes {
			if c.Ops != nil && c.Paired() {
				withOps++
				if !c.AlsoRenumbered {
					t.Errorf("%s %s: modified and renumbered, not said so", ld.Lang, c.To)
				}
			}
		}
		if withOps != 300 {
			t.Errorf("%s: %d clauses with word changes, want 300", ld.Lang, withOps)
		}
	}
}
