package site_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/site"
	"github.com/saiasat/saiasat/source"
)

// Edition 2's decision as the tests approve it, in each language.
const (
	decisionKK = "Жалғыз қатысушының 2026 жылғы 25 қарашадағы № 2 шешімі"
	decisionRU = "Решение единственного участника № 2 от 25 ноября 2026 г."
)

// twoEditions copies the bundled policy, then freezes and approves its
// draft as edition 2 (effective 2026-12-01).
func twoEditions(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "privacy")
	if err := os.CopyFS(dir, os.DirFS(bundled)); err != nil {
		t.Fatal(err)
	}
	p, _, err := source.Load(os.DirFS(dir), dir)
	if err != nil {
		t.Fatal(err)
	}
	s := release.NewStore(dir)
	s.Now = func() time.Time { return now }
	r, err := s.Freeze(p, release.FreezeOptions{Edition: 2, Effective: p.Effective})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Approve(release.ApproveOptions{Edition: 2, Hash: r.Version, Date: now,
		Decisions: map[saiasat.Lang]string{"kk": decisionKK, "ru": decisionRU}, Approvers: map[saiasat.Lang]string{"kk": "Жалғыз қатысушы", "ru": "Единственный участник"}}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func buildAt(t *testing.T, dir string, at time.Time) *site.Site {
	t.Helper()
	rs, err := release.NewStore(dir).Releases()
	if err != nil {
		t.Fatal(err)
	}
	s, err := site.Build([]site.Input{{Releases: rs}}, site.Options{Now: at})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// An edition approved for a future date is announced (feed, editions index,
// its own page) but not yet current; once its date comes, it is.
func TestFutureEdition(t *testing.T) {
	dir := twoEditions(t)
	before := buildAt(t, dir, now)
	for _, want := range []struct{ file, text string }{
		{"ru/privacy/index.html", "Редакция 1 · действует с 16 сентября 2025 г."},
		{"ru/privacy/editions/index.html", "еще не действует"},
		{"ru/privacy/editions/index.html", "2 редакции"},
		{"ru/privacy/editions/2/index.html", "Редакция 2 · утверждена, будет введена в действие с 1 декабря 2026 г."},
		// Recorded with its date: approved by whom, when, and the decision
		// quoted, each in the page's language.
		{"ru/privacy/editions/2/index.html", "<dd>Единственный участник, 25 ноября 2026 г. <q>" + decisionRU + "</q></dd>"},
		{"kk/privacy/editions/2/index.html", "<dd>Жалғыз қатысушы, 25.11.2026 ж. <q>" + decisionKK + "</q></dd>"},
		{"kk/privacy/feed.xml", "<summary>Жалғыз қатысушы, 25.11.2026 ж. — " + decisionKK + ". Мәтін хэші (SHA-256): sha256:"},
		{"ru/privacy/feed.xml", "<summary>Решение об утверждении не записано: его номер и дата неизвестны. Хеш текста (SHA-256): sha256:4f392c"},
		{"kk/privacy/feed.xml", "<title>2-басылым. Қолданысқа енгізілу күні: 01.12.2026 ж.</title>"},
		{"kk/privacy/feed.xml", "/kk/privacy/changes/2/"},
		{"api/v1/policies/privacy/current.kk.json", `"edition": 1,`},
		{"ru/privacy/changes/2/index.html", "Изменения в редакции 2 по сравнению с редакцией 1"},
		{"ru/privacy/index.html", `<p class="next">Утверждена новая редакция 2; она будет введена в действие с 1 декабря 2026 г. · <a href="../../ru/privacy/editions/2/">Текст</a> · <a href="../../ru/privacy/changes/2/">Что изменилось</a></p>`},
		{"kk/privacy/index.html", `<p class="next">Жаңа 2-басылым бекітілді, ол 01.12.2026 ж. бастап қолданысқа енгізіледі · <a href="../../kk/privacy/editions/2/">Мәтіні</a> · <a href="../../kk/privacy/changes/2/">Не өзгерді</a></p>`},
		{"ru/privacy/changes/2/index.html", "3.10–3.13 → 3.9–3.12: 16 пунктов перенумеровано, текст не изменен"},
		{"ru/privacy/changes/2/index.html", "<tr><td>3.12.13</td><td>3.11.12</td></tr>"},
		{"kk/privacy/changes/2/index.html", `<del class="fix">с</del><ins class="fix">c</ins>ookies`},
		{"kk/privacy/changes/2/index.html", "латын i → қазақ і"},
		{"api/v1/policies/privacy/editions.json", `"recorded": true,
        "decisions": {
          "kk": "` + decisionKK + `",
          "ru": "` + decisionRU + `"
        },
        "date": "2026-11-25",
        "approvers": {
          "kk": "Жалғыз қатысушы",
          "ru": "Единственный участник"
        }`},
		{"api/v1/policies/privacy/diff/1-2.json", `"renumbered": 62`},
		{"api/v1/policies/privacy/diff/1-2.json", `"concordance": [`},
	} {
		if !strings.Contains(spaced(before.Files[want.file]), want.text) {
			t.Errorf("before 2026-12-01: %s lacks %q", want.file, want.text)
		}
	}
	after := buildAt(t, dir, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	for _, want := range []struct{ file, text string }{
		{"ru/privacy/index.html", "Редакция 2 · действует с 1 декабря 2026 г."},
		{"ru/privacy/editions/1/index.html", "Редакция 1 · утратила силу с 1 декабря 2026 г.; действующий текст – редакция 2"},
		{"kk/privacy/editions/1/index.html", "1-басылым · 01.12.2026 ж. бастап күшін жойды; қолданыстағы мәтін – 2-басылым"},
		{"kk/privacy/editions/index.html", "<td>күшін жойды</td>"},
		{"api/v1/policies/privacy/current.kk.json", `"edition": 2,`},
	} {
		if !strings.Contains(spaced(after.Files[want.file]), want.text) {
			t.Errorf("from 2026-12-01: %s lacks %q", want.file, want.text)
		}
	}
	// The current edition's text hash is that of the draft it was frozen from.
	kk, _ := os.ReadFile(filepath.Join(bundled, "kk.md"))
	h, _ := canon.TextHash(kk)
	if !strings.Contains(string(after.Files["api/v1/policies/privacy/current.kk.json"]), string(h)) {
		t.Error("current kk text hash is not the frozen draft's")
	}
}

// The PDF's document information names the policy, the organization and
// the text hash (pdfinfo, from poppler-utils).
func TestPDFMetadata(t *testing.T) {
	s := build(t, false)
	pdfinfo := testtool.Require(t, "pdfinfo")
	f := filepath.Join(t.TempDir(), "p.pdf")
	os.WriteFile(f, s.Files["ru/privacy/editions/1/privacy-ru-1.pdf"], 0o644)
	out, err := exec.Command(pdfinfo, f).Output()
	if err != nil {
		t.Fatal(err)
	}
	info := string(out)
	for _, want := range []string{"Title:", "Политика конфиденциальности и безопасности", "Author:", "ТОО «Микрофинансовая организация «Satcredit.kz»", "Subject:", "sha256:4f392c06150556b742a4a040b20b0b69e545616f62b588605abfb0ebd668730a", "CreationDate:", "2025"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
}
