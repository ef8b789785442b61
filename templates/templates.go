// Package templates holds the HTML templates and the go-i18n message files
// of saiasat's pages, embedded in the binary so that they render with no
// files beside it.
package templates

import "embed"

// FS holds *.html templates, the site's *.css and icon, and the
// locales/active.<lang>.yaml message files.
//
//go:embed *.html *.css *.svg locales/*.yaml
var FS embed.FS
