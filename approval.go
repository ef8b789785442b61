package saiasat

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ApprovalMeta is what an approval stamp's text says about the decision
// that approved the text: its number and date, as recognised in the common
// kk and ru phrasings. The stamp itself is kept and printed as written;
// this is read from it, never written back.
type ApprovalMeta struct {
	// Number is the decision's number as written after "№": "7", "12/3",
	// "7-П"; empty when the stamp gives none.
	Number string
	// Date is the decision's date; zero when the stamp gives none.
	Date time.Time
}

var (
	approvalNumRe = regexp.MustCompile(`№\s*([0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі][0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі/\-]*)`)
	// «15» ноября 2023 года, 15 ноября 2023 г.
	ruDateRe = regexp.MustCompile(`(?i)«?\s*(\d{1,2})\s*»?\s+(января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)\s+(\d{4})`)
	// 2023 жылғы 15 қарашадағы, 2023 жылғы «15» қарашадағы
	kkDateRe = regexp.MustCompile(`(?i)(\d{4})\s*(?:ж\.|жылғы)\s*«?\s*(\d{1,2})\s*»?\s*(қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан)`)
	// 15.11.2023
	numDateRe = regexp.MustCompile(`\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b`)
)

var ruMonths = []string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}
var kkMonths = []string{"қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"}

// ParseApproval reads the decision number and date from an approval
// stamp's text (a Block of KindApproval): "№ 7", "«15» ноября 2023 года",
// "2023 жылғы 15 қарашадағы", "15.11.2023". A date that is not a calendar
// date is left out.
func ParseApproval(text string) ApprovalMeta {
	var m ApprovalMeta
	if s := approvalNumRe.FindStringSubmatch(text); s != nil {
		m.Number = strings.TrimRight(s[1], "-/")
	}
	day, month, year := 0, 0, 0
	if s := ruDateRe.FindStringSubmatch(text); s != nil {
		day, _ = strconv.Atoi(s[1])
		month = index(ruMonths, strings.ToLower(s[2]))
		year, _ = strconv.Atoi(s[3])
	} else if s := kkDateRe.FindStringSubmatch(text); s != nil {
		year, _ = strconv.Atoi(s[1])
		day, _ = strconv.Atoi(s[2])
		month = index(kkMonths, strings.ToLower(s[3]))
	} else if s := numDateRe.FindStringSubmatch(text); s != nil {
		day, _ = strconv.Atoi(s[1])
		month, _ = strconv.Atoi(s[2])
		year, _ = strconv.Atoi(s[3])
	}
	if d := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC); month >= 1 && month <= 12 && d.Day() == day && d.Year() == year {
		m.Date = d
	}
	return m
}

func index(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i + 1
		}
	}
	return 0
}
