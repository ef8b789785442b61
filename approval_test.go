package saiasat_test

import (
	"testing"

	"github.com/saiasat/saiasat"
)

func TestParseApproval(t *testing.T) {
	tests := []struct {
		name, text, number, date string
	}{
		{"ru stamp", "УТВЕРЖДЕНО\nРешением единственного участника ТОО «МФО «Пример»\nот «15» ноября 2023 года № 7", "7", "2023-11-15"},
		{"ru numeric date", "Утверждено приказом директора № 12/3 от 01.02.2024", "12/3", "2024-02-01"},
		{"ru without quotes", "протокол № 7-П от 5 марта 2022 г.", "7-П", "2022-03-05"},
		{"kk stamp", "Қатысушылардың жалпы жиналысының\n2023 жылғы 15 қарашадағы № 7 хаттамасымен\nБЕКІТІЛДІ", "7", "2023-11-15"},
		{"kk quoted day", "Жалғыз қатысушының 2024 жылғы «3» желтоқсандағы №15 шешімімен бекітілген", "15", "2024-12-03"},
		{"kk numeric date", "БЕКІТІЛДІ 31.01.2025 № 2", "2", "2025-01-31"},
		{"no metadata", "УТВЕРЖДЕНО\nдиректором", "", ""},
		{"impossible date", "от «31» февраля 2023 года № 1", "1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := saiasat.ParseApproval(tt.text)
			date := ""
			if !m.Date.IsZero() {
				date = m.Date.Format(saiasat.DateLayout)
			}
			if m.Number != tt.number || date != tt.date {
				t.Errorf("number %q date %q, want %q %q", m.Number, date, tt.number, tt.date)
			}
		})
	}
}
