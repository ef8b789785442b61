package docx

import (
	"fmt"
	"strings"
	"testing"
)

// pages200 is a policy of about 200 A4 pages: 40 sections of 15 clauses,
// each about 450 characters with three items (some 3,000 paragraphs and
// 1.1 million characters), with its numbering automatic.
func pages200(tb testing.TB) []byte {
	var b strings.Builder
	sentence := "Оператор обрабатывает персональные данные Пользователя в объеме, необходимом для заключения и исполнения договора, с соблюдением требований законодательства Республики Казахстан о персональных данных и их защите, и **не передает** их третьим лицам без согласия Пользователя. "
	for s := 1; s <= 40; s++ {
		fmt.Fprintf(&b, "## %d. Раздел номер %d\n\n", s, s)
		for c := 1; c <= 15; c++ {
			fmt.Fprintf(&b, "%d.%d. %s%s\n", s, c, sentence, sentence[:len(sentence)/2])
			for i := 1; i <= 3; i++ {
				fmt.Fprintf(&b, "%d) подпункт %d: %s\n", i, i, sentence)
			}
			b.WriteString("\n")
		}
	}
	data, err := Export([]byte(b.String()), ExportOptions{Title: "Политика", Header: "Редакция 1"})
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// BenchmarkImport200Pages imports the 200-page .docx (target: under 1 s).
func BenchmarkImport200Pages(b *testing.B) {
	data := pages200(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Import(data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPages200 checks the benchmark's document imports with every clause.
func TestPages200(t *testing.T) {
	res, err := Import(pages200(t))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(res.Text), "\n40.15. "); n != 1 {
		t.Errorf("clause 40.15 found %d times", n)
	}
	if n := strings.Count(string(res.Text), "\n3) "); n != 600 {
		t.Errorf("%d third items, want 600", n)
	}
}
