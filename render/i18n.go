// Package render turns the domain into what people read: the approver's
// redline as HTML and PDF, with every UI string from go-i18n message files
// in templates/locales.
package render

import (
	"fmt"
	"sync"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/templates"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
)

var (
	bundleOnce sync.Once
	bundle     *i18n.Bundle
	bundleErr  error
)

// Languages whose message files ship with saiasat.
var uiLangs = []string{"kk", "ru", "en"}

func loadBundle() (*i18n.Bundle, error) {
	bundleOnce.Do(func() {
		b := i18n.NewBundle(language.Russian)
		b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
		for _, l := range uiLangs {
			if _, err := b.LoadMessageFileFS(templates.FS, "locales/active."+l+".yaml"); err != nil {
				bundleErr = fmt.Errorf("load %s messages: %w", l, err)
				return
			}
		}
		bundle = b
	})
	return bundle, bundleErr
}

// Localizer translates UI strings into one language.
type Localizer struct {
	lang saiasat.Lang
	l    *i18n.Localizer
}

// NewLocalizer returns the localizer of lang, which must have a message
// file.
func NewLocalizer(lang saiasat.Lang) (*Localizer, error) {
	b, err := loadBundle()
	if err != nil {
		return nil, err
	}
	known := false
	for _, l := range uiLangs {
		known = known || l == string(lang)
	}
	if !known {
		return nil, fmt.Errorf("no UI messages for language %q (have %v)", lang, uiLangs)
	}
	return &Localizer{lang: lang, l: i18n.NewLocalizer(b, string(lang))}, nil
}

// T returns message id with data; a missing message or plural form is an
// error, never a silent fallback to another language.
func (l *Localizer) T(id string, data map[string]any) (string, error) {
	s, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return "", fmt.Errorf("%s message %s: %w", l.lang, id, err)
	}
	return s, nil
}

// N returns the plural message id for count.
func (l *Localizer) N(id string, count int) (string, error) {
	s, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: map[string]any{"Count": count}})
	if err != nil {
		return "", fmt.Errorf("%s message %s (%d): %w", l.lang, id, count, err)
	}
	return s, nil
}

// FormatDate writes a date the local way, from the language's message
// file: "16.09.2025 ж." in Kazakh (a date after a label),
// "16 сентября 2025 г." in Russian, ISO otherwise.
func FormatDate(lang saiasat.Lang, t time.Time) string {
	return formatDate(lang, "DateLong", t)
}

// FormatDateShort writes a date the way the published PDF's page header
// does: "16.09.2025 ж.", "16.09.2025 г.".
func FormatDateShort(lang saiasat.Lang, t time.Time) string {
	return formatDate(lang, "DateShort", t)
}

func formatDate(lang saiasat.Lang, id string, t time.Time) string {
	loc, err := NewLocalizer(lang)
	if err != nil {
		return t.Format(saiasat.DateLayout)
	}
	month, err := loc.T(fmt.Sprintf("Month%d", t.Month()), nil)
	if err != nil {
		return t.Format(saiasat.DateLayout)
	}
	s, err := loc.T(id, map[string]any{"Day": t.Day(), "DD": t.Format("02"), "MM": t.Format("01"), "Year": t.Year(), "Month": month})
	if err != nil {
		return t.Format(saiasat.DateLayout)
	}
	return s
}
