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

var (
	// Редакция № 3, Редакция 2, 3-басылым, 2-редакция, Басылым: 1
	editionWordRe = regexp.MustCompile(`(?i)(?:(?:редакция|басылым)\s*:?\s*№?\s*(\d{1,3})(?:$|[^\d])|(?:^|[^\d])(\d{1,3})\s*-\s*(?:басылым|редакция))`)
	// the verb that puts the text in force, before (ru) or after (kk) the date
	ruEffectiveRe = regexp.MustCompile(`(?i)(?:вв(?:одит|одят|едена|едены)\p{L}*\s+в\s+действие|вступа\p{L}*\s+в\s+силу|действу\p{L}*)\s+с\s+`)
	lastYearRe    = regexp.MustCompile(`\d{4}\s+ж`)
	kkEffectiveRe = regexp.MustCompile(`(?i)бастап\s+(?:қолданысқа\s+енгізіл|күшіне\s+ен|қолданыл)`)
)

// parseLegalDate reads a date in any of the common kk and ru phrasings
// ("1 декабря 2023 года", "2023 жылғы 1 желтоқсаннан", "01.12.2023"), as
// the approval stamp's date is read (saiasat.ParseApproval).
func parseLegalDate(s string) (time.Time, bool) {
	d := saiasat.ParseApproval(s).Date
	return d, !d.IsZero()
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
		// The decision's number and date as check and the site read them.
		am := saiasat.ParseApproval(stamp)
		m.ApprovalNumber, m.ApprovalDate = am.Number, am.Date
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
				// The date right before "бастап": the last year in the
				// words before it starts it.
				head := l[:loc[0]]
				if i := lastYearRe.FindAllStringIndex(head, -1); i != nil {
					if d, ok := parseLegalDate(head[i[len(i)-1][0]:]); ok {
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
