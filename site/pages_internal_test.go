package site

import (
	"testing"

	"github.com/saiasat/saiasat"
)

func TestTextLang(t *testing.T) {
	for s, want := range map[string]saiasat.Lang{
		"Решение единственного участника":   "ru",
		"Жалғыз қатысушының шешімі":         "kk",
		"Бірыңғай шешім":                    "kk",
		"Decision No. 2 of the participant": "",
	} {
		if got := textLang(s); got != want {
			t.Errorf("textLang(%q) = %q, want %q", s, got, want)
		}
	}
}
