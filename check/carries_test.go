package check

import (
	"slices"
	"testing"

	"github.com/saiasat/saiasat"
)

func TestNumberValues(t *testing.T) {
	tests := []struct {
		lang saiasat.Lang
		text string
		want []int
	}{
		{"kk", "Он сегіз жасқа толған", []int{18}},
		{"kk", "он бес күн", []int{15}},
		{"kk", "екі жүз елу теңге және жүзінші бет", []int{250, 100}},
		{"kk", "бесінші тармақ, оның ішінде", []int{5}},
		{"kk", "бір жүз жиырма бес", []int{125}},
		{"ru", "достигшим 18 (восемнадцати) лет", []int{18}},
		{"ru", "в течение двухсот сорока пяти дней", []int{245}},
		{"ru", "тридцатью днями", []int{30}},
		{"ru", "пятнадцать и пять", []int{15, 5}},
		{"ru", "семьдесят", []int{70}},
		{"en", "eighteen", nil},
	}
	for _, tt := range tests {
		if got := numberValues(tt.text, tt.lang); !slices.Equal(got, tt.want) {
			t.Errorf("%s %q: %v, want %v", tt.lang, tt.text, got, tt.want)
		}
	}
}

func TestTransliteratedAcronym(t *testing.T) {
	tests := []struct {
		body, acronym string
		want          bool
	}{
		{"по СМС", "SMS", true},
		{"ИИН клиента", "IIN", true},
		{"ЖСН", "IIN", false},
		{"смс", "SMS", false}, // a lowercase word is a word, not the acronym
		{"СМСКА", "SMS", false},
	}
	for _, tt := range tests {
		if got := carries(tt.body, "ru", tt.acronym); got != tt.want {
			t.Errorf("%q carries %s: %v, want %v", tt.body, tt.acronym, got, tt.want)
		}
	}
}
