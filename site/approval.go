package site

import (
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/render"
)

// decisionIn is e's approving decision as cited in language l, and who
// approved, named in l: the release's text per language, or its one-text
// record (approvals made before texts per language) when that is written
// in l. "" where nothing was recorded in l.
func decisionIn(e *edition, l saiasat.Lang) (decision, approver string) {
	a := approvalOf(e)
	if a == nil {
		return "", ""
	}
	decision, approver = a.DecisionIn(l), a.ApproverIn(l)
	if decision == "" && textLang(a.Decision) == l {
		decision = a.Decision
	}
	if approver == "" && textLang(a.Approver) == l {
		approver = a.Approver
	}
	return decision, approver
}

// approvalIn tells e's approval in language l as every output does (page,
// PDF, feed): who approved and when, only when the decision was recorded
// with its date; that it was not, otherwise (an edition in force before
// releases were kept, whatever its record carries); not approved, for the
// draft. decision is the decision as cited in l, "" when none.
func approvalIn(e *edition, loc *render.Localizer, l saiasat.Lang, date func(time.Time) string) (text, decision string, err error) {
	switch {
	case e.draft:
		text, err = loc.T("SiteNotApproved", nil)
		return text, "", err
	case !decisionRecorded(e):
		text, err = loc.T("SiteDecisionNotRecorded", nil)
		return text, "", err
	}
	decision, approver := decisionIn(e, l)
	d := date(approvalOf(e).Date)
	if approver != "" {
		text, err = loc.T("SiteApprovedBy", map[string]any{"Approver": approver, "Date": d})
	} else {
		text, err = loc.T("SiteApprovedOn", map[string]any{"Date": d})
	}
	return text, decision, err
}

// pdfApprovals is the approval line of e's PDF in each language: as on
// the page, the decision after a dash; none for the draft, whose PDF says
// "draft" on every page.
func pdfApprovals(e *edition) (map[saiasat.Lang]string, error) {
	out := make(map[saiasat.Lang]string)
	if e.draft {
		return out, nil
	}
	for _, l := range e.policy.Languages {
		loc, err := render.NewLocalizer(l)
		if err != nil {
			return nil, err
		}
		text, decision, err := approvalIn(e, loc, l, func(t time.Time) string { return render.FormatDateShort(l, t) })
		if err != nil {
			return nil, err
		}
		if decision != "" {
			text += " — " + decision
		}
		out[l] = text
	}
	return out, nil
}
