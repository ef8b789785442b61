package site_test

import (
	"strings"
	"testing"

	"github.com/saiasat/saiasat/internal/testtool"
)

// Each PDF tells the approval as its language's page does, under the
// title: edition 2's decision as cited in that language, edition 1's
// decision as not recorded; none of the tool's own words.
func TestPDFApproval(t *testing.T) {
	s := buildAt(t, twoEditions(t), now)
	for _, c := range []struct{ file, want string }{
		{"ru/privacy/editions/2/privacy-ru-2.pdf", "Единственный участник, 25.11.2026 г. — " + decisionRU},
		{"kk/privacy/editions/2/privacy-kk-2.pdf", "Жалғыз қатысушы, 25.11.2026 ж. — " + decisionKK},
		{"ru/privacy/editions/1/privacy-ru-1.pdf", "Решение об утверждении не записано: его номер и дата неизвестны"},
		{"kk/privacy/editions/1/privacy-kk-1.pdf", "Бекіту туралы шешім жазылмаған: оның нөмірі мен күні белгісіз"},
	} {
		text := strings.Join(strings.Fields(testtool.PDFText(t, s.Files[c.file])), " ")
		if !strings.Contains(text, c.want) {
			t.Errorf("%s lacks %q", c.file, c.want)
		}
		for _, bad := range []string{"saiasat", "запись внесена", "Решение единственного участника ТОО"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s says %q", c.file, bad)
			}
		}
	}
}
