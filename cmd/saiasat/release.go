package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/render"
	"github.com/saiasat/saiasat/source"
)

// policyFlags are the flags that name one policy folder.
type policyFlags struct {
	Policies string
	Policy   string
}

func (pf *policyFlags) register(fs interface {
	StringVar(*string, string, string, string)
}) {
	pf.Policies = DefaultPolicies
	fs.StringVar(&pf.Policies, "policies", DefaultPolicies, "the `folder` of policy folders")
	fs.StringVar(&pf.Policy, "policy", "", "the policy `id` (default: the only policy in --policies)")
}

// dir returns the policy folder, choosing the only one when --policy is
// not given.
func (pf *policyFlags) dir(cmd string) (string, error) {
	if pf.Policy != "" {
		dir := filepath.Join(pf.Policies, pf.Policy)
		if _, err := os.Stat(filepath.Join(dir, source.MetaFile)); err != nil {
			return "", fmt.Errorf("%s: no policy %q here (no %s)", pf.Policies, pf.Policy, source.MetaFile)
		}
		return dir, nil
	}
	subs, err := source.Discover(os.DirFS(pf.Policies))
	if err != nil {
		return "", fmt.Errorf("%s: %w", pf.Policies, unwrapNotExist(err))
	}
	if len(subs) != 1 {
		return "", usagef("saiasat "+cmd+" --policy ID", "%s holds %d policies %v: name one with --policy", pf.Policies, len(subs), subs)
	}
	return filepath.Join(pf.Policies, subs[0]), nil
}

func unwrapNotExist(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return errors.New("no such file or directory")
	}
	return err
}

func parseDate(flag, s string) (time.Time, error) {
	t, err := time.Parse(saiasat.DateLayout, s)
	if err != nil {
		return time.Time{}, usagef("", "--%s %q is not a date YYYY-MM-DD", flag, s)
	}
	return t, nil
}

func (m *Main) runRelease(ctx context.Context, args []string) error {
	var pf policyFlags
	var edition int
	var effective string
	var historic bool
	fs := m.newFlagSet("release", "", "Freezes the draft of a policy (it must pass check) into\npolicies/<id>/releases/<N>/: each language's canonical text and release.json\nwith the hashes, the previous edition's version hash and status pending.\nA pending release may be frozen again; an approved one never changes.")
	pf.register(fs)
	fs.IntVar(&edition, "edition", 0, "the edition `number` (default: policy.yaml's edition)")
	fs.StringVar(&effective, "effective", "", "the `date` it comes into force, YYYY-MM-DD (default: policy.yaml's effective)")
	fs.BoolVar(&historic, "historic", false, "record an edition in force before this tool: its text as published, with its findings listed")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("saiasat release --help", "unexpected argument %q", rest[0])
	}
	dir, err := pf.dir("release")
	if err != nil {
		return err
	}
	p, loadFindings, err := source.Load(os.DirFS(dir), dir)
	if err != nil {
		return err
	}
	// Accepted findings (policy.yaml's accept list) block nothing; they are
	// recorded in release.json with their reason.
	findings := check.Policy(p, loadFindings)
	for _, f := range findings {
		if f.Rule == "meta/yaml" || f.Rule == "meta/missing-key" || f.Rule == "meta/invalid" {
			return fmt.Errorf("%s: %s (run saiasat check)", f.Pos, f.Message)
		}
	}
	if edition == 0 {
		edition = p.Edition
	} else if edition != p.Edition {
		return usagef("", "--edition %d, but %s says edition %d: change one of them", edition, filepath.Join(dir, source.MetaFile), p.Edition)
	}
	eff := p.Effective
	if effective != "" {
		if eff, err = parseDate("effective", effective); err != nil {
			return err
		}
		if !eff.Equal(p.Effective) {
			return usagef("", "--effective %s, but %s says %s: change one of them", effective, filepath.Join(dir, source.MetaFile), p.Effective.Format(saiasat.DateLayout))
		}
	}
	if open := saiasat.Open(findings); len(open) > 0 && !historic {
		check.Write(m.Stdout, check.FormatText, open)
		fmt.Fprintf(m.Stderr, "saiasat: release refused: the draft has %d finding(s); a historic edition is recorded with --historic\n", len(open))
		return errFindings
	}
	for i := range findings {
		if rel, err := filepath.Rel(dir, findings[i].Pos.File); err == nil {
			findings[i].Pos.File = rel
		}
	}
	r, err := release.NewStore(dir).Freeze(p, release.FreezeOptions{Edition: edition, Effective: eff, Historic: historic, Findings: findings})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "frozen %s edition %d, effective %s, status %s\n", r.ID, r.Edition, r.Effective.Format(saiasat.DateLayout), r.Status)
	fmt.Fprintf(m.Stdout, "version  %s\n", r.Version)
	for _, l := range r.Languages {
		fmt.Fprintf(m.Stdout, "%-8s %s  %s\n", l, r.Texts[l], filepath.Join(dir, release.Folder, strconv.Itoa(r.Edition), string(l)+".md"))
	}
	if historic && len(findings) > 0 {
		fmt.Fprintf(m.Stdout, "historic: %d finding(s) of the published text listed in release.json\n", len(findings))
	}
	fmt.Fprintf(m.Stdout, "next: read the redline and approve it with\n  saiasat approve --policy %s --edition %d --hash %s --decision … --date YYYY-MM-DD --approver …\n", r.ID, r.Edition, r.Version)
	return nil
}

func (m *Main) runApprove(ctx context.Context, args []string) error {
	var pf policyFlags
	var edition int
	var hash, date string
	decisions, approvers := langTexts{}, langTexts{}
	fs := m.newFlagSet("approve", "", "Records the approval of a frozen edition. --hash is the version hash printed on\nthe redline the approver read: a mismatch refuses, naming both hashes. The\ndecision is given once per language of the edition, as readers are shown it:\n  --decision 'kk=Жалғыз қатысушының 2026 жылғы 20 қарашадағы № 2 шешімі'\n  --decision 'ru=Решение единственного участника № 2 от 20 ноября 2026 г.'\nThe approver defaults to policy.yaml's approver (the instrument), else the\nsole participant's decision, in each language.")
	pf.register(fs)
	fs.IntVar(&edition, "edition", 0, "the edition `number` approved")
	fs.StringVar(&hash, "hash", "", "the version `hash` on the redline the approver read (sha256:…)")
	fs.Var(decisions, "decision", "the decision as it is cited (number, date, title), once per language: `LANG=TEXT`")
	fs.StringVar(&date, "date", "", "the `date` of the decision, YYYY-MM-DD")
	fs.Var(approvers, "approver", "who approved (the sole participant, the general meeting, the director, the board), once per language: `LANG=TEXT` (default: policy.yaml's approver)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("saiasat approve --help", "unexpected argument %q", rest[0])
	}
	switch {
	case edition < 1:
		return usagef("saiasat approve --help", "--edition is required")
	case hash == "":
		return usagef("saiasat approve --help", "--hash is required: the version hash printed on the redline")
	case len(decisions) == 0:
		return usagef("saiasat approve --help", "--decision is required, once per language: --decision 'kk=…' --decision 'ru=…'")
	case date == "":
		return usagef("saiasat approve --help", "--date is required")
	}
	h, err := saiasat.ParseHash(hash)
	if err != nil {
		return usagef("", "--hash: %v", err)
	}
	d, err := parseDate("date", date)
	if err != nil {
		return err
	}
	dir, err := pf.dir("approve")
	if err != nil {
		return err
	}
	if len(approvers) == 0 {
		if approvers, err = defaultApprovers(dir); err != nil {
			return err
		}
	}
	r, err := release.NewStore(dir).Approve(release.ApproveOptions{Edition: edition, Hash: h, Decisions: decisions, Date: d, Approvers: approvers})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "approved %s edition %d, version %s, %s: %s\n", r.ID, r.Edition, r.Version, r.Approval.Date.Format(saiasat.DateLayout), r.Approval.Cited())
	return nil
}

// langTexts is a flag given once per language as LANG=TEXT.
type langTexts map[saiasat.Lang]string

func (lt langTexts) String() string { return fmt.Sprint(map[saiasat.Lang]string(lt)) }

func (lt langTexts) Set(s string) error {
	l, text, ok := strings.Cut(s, "=")
	if !ok || !isLangCode(l) || strings.TrimSpace(text) == "" {
		return fmt.Errorf("want LANG=TEXT, one per language (kk=…, ru=…), got %q", s)
	}
	if _, dup := lt[saiasat.Lang(l)]; dup {
		return fmt.Errorf("%s given twice", l)
	}
	lt[saiasat.Lang(l)] = strings.TrimSpace(text)
	return nil
}

// joined is each language's text, in the languages' order, joined by " / ".
func (lt langTexts) joined() string {
	langs := make([]string, 0, len(lt))
	for l := range lt {
		langs = append(langs, string(l))
	}
	slices.Sort(langs)
	for i, l := range langs {
		langs[i] = lt[saiasat.Lang(l)]
	}
	return strings.Join(langs, " / ")
}

// isLangCode reports whether s looks like a language code: two or three
// lowercase letters (the edition's own languages are checked on approval).
func isLangCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// defaultApprovers is policy.yaml's approver in each language, or the sole
// participant's decision where it names none.
func defaultApprovers(dir string) (langTexts, error) {
	p, _, err := source.Load(os.DirFS(dir), dir)
	if err != nil {
		return nil, err
	}
	out := langTexts{}
	for _, l := range p.Languages {
		if out[l] = p.Approver[l]; out[l] == "" {
			loc, err := render.NewLocalizer(l)
			if err != nil {
				return nil, err
			}
			if out[l], err = loc.T("ApproverDefault", nil); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func (m *Main) runLog(ctx context.Context, args []string) error {
	var pf policyFlags
	fs := m.newFlagSet("log", "", "Lists the releases of a policy, verifying each: edition, effective date,\nstatus, version hash, approval.")
	pf.register(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("saiasat log --help", "unexpected argument %q", rest[0])
	}
	dir, err := pf.dir("log")
	if err != nil {
		return err
	}
	rs, err := release.NewStore(dir).Releases()
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		fmt.Fprintf(m.Stdout, "%s: no releases yet (saiasat release freezes the draft)\n", dir)
		return nil
	}
	for _, r := range rs {
		approval := "not approved"
		if a := r.Approval; a != nil {
			approver := a.Approver
			if len(a.Approvers) > 0 {
				approver = langTexts(a.Approvers).joined()
			}
			approval = fmt.Sprintf("approved %s by %s: %s", a.Date.Format(saiasat.DateLayout), approver, a.Cited())
		}
		historic := ""
		if r.Historic {
			historic = fmt.Sprintf(" (historic, %d findings)", len(r.Findings))
		} else if len(r.Findings) > 0 {
			historic = fmt.Sprintf(" (%d accepted findings)", len(r.Findings))
		}
		fmt.Fprintf(m.Stdout, "edition %d  effective %s  %-8s  %s  %s%s\n", r.Edition, r.Effective.Format(saiasat.DateLayout), r.Status, r.Version, approval, historic)
	}
	return nil
}

// draftVersion hashes a loaded policy folder for a diff side.
func draftVersion(p *saiasat.Policy) saiasat.Hash {
	h, err := canon.PolicyHashes(p)
	if err != nil {
		return ""
	}
	return h.Version
}
