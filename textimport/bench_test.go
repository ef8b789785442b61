package textimport_test

import (
	"os"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/textimport"
)

// BenchmarkImportCorpus imports the whole corpus, 24 texts, per op.
func BenchmarkImportCorpus(b *testing.B) {
	var srcs [][]byte
	for _, d := range []string{"altyn-dala-privacy", "amanat-pawnshop-rules", "aqniet-consent", "bereke-privacy", "kemel-offer", "nur-marketing-consent",
		"qazyna-tariffs", "sapa-rules", "senim-online-rules", "shapagat-privacy", "turan-notice", "zharyq-bureau-consent"} {
		for _, l := range []string{"kk", "ru"} {
			src, err := os.ReadFile("../testdata/corpus/" + d + "/" + l + ".txt")
			if err != nil {
				b.Fatal(err)
			}
			srcs = append(srcs, src)
		}
	}
	for b.Loop() {
		for _, s := range srcs {
			if _, err := textimport.Import(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkImportLong imports one clause wrapped over 500 lines and a table
// of 1,000 rows laid out with spaces, each row wrapped.
func BenchmarkImportLong(b *testing.B) {
	clause := "1. Общие\n1.1. Начало" + strings.Repeat("\nи продолжение текста пункта", 500) + ".\n"
	table := "1. Таблица\n1.1. Сроки:\n\nЦель   Срок\n" + strings.Repeat("Заявка   5 лет\n   и далее\n", 1000)
	for b.Loop() {
		for _, s := range []string{clause, table} {
			if _, err := textimport.Import([]byte(s)); err != nil {
				b.Fatal(err)
			}
		}
	}
}
