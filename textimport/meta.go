package textimport

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/saiasat/saiasat"
)

// Options tune an import.
type Options struct {
	// Numbering is the text's numbering scheme (policy.yaml's
	// `numbering:`); empty lets the import decide from the text (see
	// Meta.Numbering).
	Numbering saiasat.Numbering
}

// Months in the genitive (ru) and the stems of the Kazakh month names,
// whose endings vary with the case: "қарашадағы", "желтоқсаннан".
var (
	ruMonths = []string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}
	kkMonths = []string{"қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"}
)

var (
	// «15» ноября 2023 года, 1 декабря 2023 г.
	ruDateRe = regexp.MustCompile(`(?i)«?(\d{1,2})»?\s+(` + strings.Join(ruMonths, "|") + `)\s+(\d{4})`)
	// 2023 жылғы 15 қарашадағы, 2024 жылғы 1 наурыздан
	kkDateRe = regexp.MustCompile(`(?i)(\d{4})\s+жыл(?:ғы|дың)?\s+«?(\d{1,2})»?\s+(` + strings.Join(kkMonths, "|") + `)\p{L}*`)
	// 15.11.2023
	numDateRe = regexp.MustCompile(`(?:^|[^\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?:$|[^\d])`)
	// № 7, № 12-П, №3
	decisionNoRe = regexp.MustCompile(`№\s*([\p{L}\d][\p{L}\d/-]*)`)
	// Редакция № 3, Редакция 2, 3-басылым, 2-редакция, Басылым: 1
	editionWordRe = regexp.MustCompile(`(?i)(?:(?:редакция|басылым)\s*:?\s*№?\s*(\d{1,3})(?:$|[^\d])|(?:^|[^\d])(\d{1,3})\s*-\s*(?:басылым|редакция))`)
	// the verb that puts the text in force, before (ru) or after (kk) the date
	ruEffectiveRe = regexp.MustCompile(`(?i)(?:вв(?:одит|одят|едена|едены)\p{L}*\s+в\s+действие|вступа\p{L}*\s+в\s+силу|действу\p{L}*)\s+с\s+`)
	kkEffectiveRe = regexp.MustCompile(`(?i)бастап\s+(?:қолданысқа\s+енгізіл|күшіне\s+ен|қолданыл)`)
)

// parseLegalDate reads the first date in s in any of the common kk and ru
// phrasings.
func parseLegalDate(s string) (time.Time, bool) {
	type cand struct {
		at      int
		y, m, d int
	}
	var best *cand
	try := func(c cand) {
		if best == nil || c.at < best.at {
			best = &c
		}
	}
	if m := ruDateRe.FindStringSubmatchIndex(s); m != nil {
		d, _ := strconv.Atoi(s[m[2]:m[3]])
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		try(cand{m[0], y, monthIndex(ruMonths, s[m[4]:m[5]]), d})
	}
	if m := kkDateRe.FindStringSubmatchIndex(s); m != nil {
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		d, _ := strconv.Atoi(s[m[4]:m[5]])
		try(cand{m[0], y, monthIndex(kkMonths, s[m[6]:m[7]]), d})
	}
	if m := numDateRe.FindStringSubmatchIndex(s); m != nil {
		d, _ := strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		try(cand{m[2], y, mo, d})
	}
	if best == nil || best.m < 1 || best.m > 12 {
		return time.Time{}, false
	}
	t := time.Date(best.y, time.Month(best.m), best.d, 0, 0, 0, 0, time.UTC)
	if t.Day() != best.d {
		return time.Time{}, false
	}
	return t, true
}

func monthIndex(months []string, name string) int {
	name = strings.ToLower(name)
	for i, m := range months {
		if m == name {
			return i + 1
		}
	}
	return 0
}

// meta2 reads what the text itself says about the document: the approval
// decision's number and date, the edition, the effective date ("вводится
// в действие с 1 декабря 2023 года", "2023 жылғы 1 желтоқсаннан бастап
// қолданысқа енгізіледі"), the title and the kind of document. What page
// headers said (meta) stays first.
func (r *Result) meta2(out, approval []string) {
	m := &r.Meta
	stamp := strings.Join(approval, " ")
	if stamp != "" {
		if n := decisionNoRe.FindStringSubmatch(stamp); n != nil {
			m.ApprovalNumber = n[1]
		}
		if d, ok := parseLegalDate(stamp); ok {
			m.ApprovalDate = d
		}
		if m.Edition == 0 {
			if e := editionWordRe.FindStringSubmatch(stamp); e != nil {
				m.Edition, _ = strconv.Atoi(e[1] + e[2])
			}
		}
	}
	var title []string
	for _, l := range out {
		if t, ok := strings.CutPrefix(l, "# "); ok {
			title = append(title, t)
		}
	}
	if m.Title == "" && len(title) > 0 {
		m.Title = strings.Join(title, " ")
	}
	if m.Effective.IsZero() {
		for _, l := range out {
			if loc := ruEffectiveRe.FindStringIndex(l); loc != nil {
				if d, ok := parseLegalDate(l[loc[1]:]); ok {
					m.Effective = d
					break
				}
			}
			if loc := kkEffectiveRe.FindStringIndex(l); loc != nil {
				head := l[:loc[0]]
				if i := strings.LastIndex(head, "жыл"); i >= 0 && i >= 6 {
					if d, ok := parseLegalDate(head[max(0, i-6):]); ok {
						m.Effective = d
						break
					}
				}
			}
		}
	}
	m.Kind = docKind(strings.Join(title, " "))
}

// docKind guesses the kind of document from its title's words.
func docKind(title string) saiasat.DocKind {
	t := strings.ToLower(title)
	switch {
	case title == "":
		return ""
	case strings.Contains(t, "оферт"):
		return saiasat.DocOffer
	case strings.Contains(t, "согласие") || strings.Contains(t, "келісім"):
		return saiasat.DocConsent
	case strings.Contains(t, "политик") || strings.Contains(t, "саясат"):
		return saiasat.DocPrivacy
	case strings.Contains(t, "правил") || strings.Contains(t, "қағида"):
		return saiasat.DocRules
	}
	return saiasat.DocOther
}
