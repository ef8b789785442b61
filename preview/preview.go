// Package preview serves a policy's working draft as the published site
// will show it, for the legal team while it edits: the draft's pages (the
// site package's own rendering), the findings of check beside the clauses
// they concern, the redline against the edition in force one click away,
// and a page that reloads itself when a file is saved. A broken file
// shows its error, never a blank page. It is a local tool: it serves
// 127.0.0.1 by default and carries a small script, which the published
// site never does.
package preview

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/render"
	"github.com/saiasat/saiasat/site"
	"github.com/saiasat/saiasat/source"
)

// Options configure a Preview.
type Options struct {
	// Now decides which edition is in force; default time.Now.
	Now func() time.Time
}

// Preview is the HTTP handler of the preview of the policies under one
// folder.
type Preview struct {
	root   string
	single bool // root is one policy folder, not a folder of them
	now    func() time.Time

	mu      sync.Mutex
	version string
	state   *state
}

// state is one build of the drafts, made when their files change.
type state struct {
	version string
	files   map[string][]byte
	// home is the path served at /: the draft's first page when the
	// folder is one policy, else the site's index.
	home string
	// redlines by policy id: the draft against the edition in force.
	redlines map[string][]byte
	// err, when set, is what broke the build: every page shows it.
	err error
	// findings of check, open ones, by policy id.
	findings map[string][]saiasat.Finding
}

// New returns the preview of dir: a policy folder (with policy.yaml), or
// a folder of them. The first build happens here, so a folder that cannot
// be read is an error at once; a draft that does not load is not — its
// error is what the preview shows until it is mended.
func New(dir string, opt Options) (*Preview, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("preview %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("preview %s: not a folder: name a policy folder (with %s) or a folder of them", dir, source.MetaFile)
	}
	p := &Preview{root: dir, now: opt.Now}
	if p.now == nil {
		p.now = time.Now
	}
	if _, err := os.Stat(filepath.Join(dir, source.MetaFile)); err == nil {
		p.single = true
	}
	if _, err := p.current(); err != nil {
		return nil, err
	}
	return p, nil
}

// Version is a digest of the names, sizes and modification times of every
// file under the previewed folder: it changes when a file is saved.
func (p *Preview) Version() (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(p.root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// Editors' and git's own folders change without the draft.
			if b := d.Name(); name != p.root && (strings.HasPrefix(b, ".") || b == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || strings.HasSuffix(d.Name(), "~") {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\n", name, fi.Size(), fi.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("preview %s: %w", p.root, err)
	}
	return hex.EncodeToString(h.Sum(nil)[:12]), nil
}

// current returns the build of the files as they are now, building again
// when they changed.
func (p *Preview) current() (*state, error) {
	v, err := p.Version()
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state != nil && p.state.version == v {
		return p.state, nil
	}
	st := p.build()
	st.version = v
	p.state = st
	return st, nil
}

// policyDirs lists the policy folders previewed.
func (p *Preview) policyDirs() ([]string, error) {
	if p.single {
		return []string{p.root}, nil
	}
	subs, err := source.Discover(os.DirFS(p.root))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.root, err)
	}
	var dirs []string
	for _, s := range subs {
		dirs = append(dirs, filepath.Join(p.root, s))
	}
	return dirs, nil
}

// build loads every draft, checks it, and renders the site with the
// drafts and the redlines. What fails is kept as the state's error.
func (p *Preview) build() *state {
	st := &state{redlines: make(map[string][]byte), findings: make(map[string][]saiasat.Finding)}
	dirs, err := p.policyDirs()
	if err != nil {
		st.err = err
		return st
	}
	now := p.now()
	var inputs []site.Input
	var drafts []*saiasat.Policy
	var loads [][]saiasat.Finding
	var releases [][]*saiasat.Release
	for _, dir := range dirs {
		pol, loadFindings, err := source.Load(os.DirFS(dir), dir)
		if err != nil {
			st.err = err
			return st
		}
		// A draft whose metadata cannot be read has no page: its errors
		// are the page.
		for _, f := range loadFindings {
			if f.Severity.String() == "error" && strings.HasPrefix(f.Rule, "meta/") {
				st.err = fmt.Errorf("%s: %s [%s]", f.Pos, f.Message, f.Rule)
				return st
			}
		}
		rs, err := release.NewStore(dir).Releases()
		if err != nil {
			st.err = err
			return st
		}
		inputs = append(inputs, site.Input{Releases: rs, Draft: pol})
		drafts = append(drafts, pol)
		loads = append(loads, loadFindings)
		releases = append(releases, rs)
	}
	// The checks and redlines beside the site: on two cores the start
	// takes the longer of the two, not their sum (BenchmarkPreviewStart).
	var wg sync.WaitGroup
	redErrs := make([]error, len(drafts))
	reds := make([][]byte, len(drafts))
	finds := make([][]saiasat.Finding, len(drafts))
	for i, pol := range drafts {
		wg.Go(func() {
			fs := saiasat.Open(check.Policy(pol, loads[i]))
			saiasat.SortFindings(fs)
			finds[i] = fs
			reds[i], redErrs[i] = redline(releases[i], pol, now)
		})
	}
	s, err := build(inputs, now)
	wg.Wait()
	for i, pol := range drafts {
		if redErrs[i] != nil {
			st.err = fmt.Errorf("redline of %s: %w", pol.Dir, redErrs[i])
			return st
		}
		if reds[i] != nil {
			st.redlines[pol.ID] = reds[i]
		}
		st.findings[pol.ID] = finds[i]
	}
	if err != nil {
		st.err = err
		return st
	}
	st.files = s.Files
	for _, pol := range drafts {
		for _, l := range pol.Languages {
			name := string(l) + "/" + pol.ID + "/draft/index.html"
			if b, ok := st.files[name]; ok {
				st.files[name] = decorate(b, pol, st.findings[pol.ID], st.redlines[pol.ID] != nil)
			}
		}
	}
	st.home = "index.html"
	if p.single && len(drafts) == 1 {
		st.home = string(drafts[0].Languages[0]) + "/" + drafts[0].ID + "/draft/index.html"
	}
	return st
}

// build renders the site, turning a panic in a renderer on a half-typed
// text into an error the page shows.
func build(inputs []site.Input, now time.Time) (s *site.Site, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the draft could not be rendered (%v); run saiasat check", r)
		}
	}()
	return site.Build(inputs, site.Options{Now: now, FirstDrafts: true})
}

// redline renders the draft against the approved edition in force at now
// (or the latest approved one), as saiasat diff does; nil with none.
func redline(rs []*saiasat.Release, draft *saiasat.Policy, now time.Time) ([]byte, error) {
	var base *saiasat.Release
	for _, r := range rs {
		if r.Approved() && !saiasat.InForceFrom(r.Effective).After(now) {
			base = r
		}
	}
	if base == nil {
		return nil, nil
	}
	a := &diff.Version{ID: base.ID, Edition: base.Edition, Released: true, Canonical: true, Effective: base.Effective, Title: base.Title,
		Organization: base.Organization, Label: fmt.Sprintf("edition %d", base.Edition), Version: base.Version, Languages: base.Languages, Docs: base.Docs}
	b := &diff.Version{ID: draft.ID, Edition: draft.Edition, Effective: draft.Effective, Title: draft.Title, Organization: draft.Organization,
		Label: "draft", Languages: draft.Languages, Docs: draft.Docs}
	return render.RedlineHTML(diff.Compare(a, b), render.RedlineOptions{Approver: draft.Approver})
}

// ServeHTTP serves the preview: the pages of the site as built from the
// files now on disk, the version the reload script polls, the redlines.
func (p *Preview) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; font-src 'self'; base-uri 'self'; frame-ancestors 'none'")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "only GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case "/_preview/version":
		v, err := p.Version()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		h.Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, v)
		return
	case "/_preview/reload.js":
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write(reloadJS)
		return
	case "/_preview/preview.css":
		h.Set("Content-Type", "text/css; charset=utf-8")
		w.Write(previewCSS)
		return
	}
	st, err := p.current()
	if err != nil {
		p.errorPage(w, "", err)
		return
	}
	if st.err != nil {
		p.errorPage(w, st.version, st.err)
		return
	}
	if id, ok := strings.CutPrefix(r.URL.Path, "/_preview/redline/"); ok {
		b, ok := st.redlines[id]
		if !ok {
			http.Error(w, "no edition in force to compare with", http.StatusNotFound)
			return
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.Write(injectHead(b, ""))
		return
	}
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	if r.URL.Path == "/" {
		name = st.home
		// The draft's page, served at /: its relative links resolve from
		// its own folder.
		b := st.files[name]
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.Write(injectBase(b, "/"+path.Dir(name)+"/"))
		return
	}
	if strings.HasSuffix(r.URL.Path, "/") {
		name += "/index.html"
	}
	b, ok := st.files[name]
	if !ok {
		if _, dir := st.files[name+"/index.html"]; dir {
			http.Redirect(w, r, "/"+name+"/", http.StatusFound)
			return
		}
		http.NotFound(w, r)
		return
	}
	if ct := contentType(name); ct != "" {
		h.Set("Content-Type", ct)
	}
	if strings.HasSuffix(name, ".html") {
		b = injectHead(b, "")
	}
	w.Write(b)
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".md":
		return "text/markdown; charset=utf-8"
	case ".json":
		return "application/json"
	case ".xml":
		return "application/atom+xml; charset=utf-8"
	case ".pdf":
		return "application/pdf"
	case ".svg":
		return "image/svg+xml"
	case ".woff2":
		return "font/woff2"
	case ".woff":
		return "font/woff"
	}
	return ""
}

// errorPage shows what broke, with the reload script, so the page mends
// itself when the file is saved again.
func (p *Preview) errorPage(w http.ResponseWriter, version string, err error) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html lang=\"ru\"><head><meta charset=\"utf-8\"><title>saiasat preview: error</title></head>\n<body>\n")
	b.WriteString("<main class=\"preview-error\"><h1>saiasat preview</h1>\n<p>The draft cannot be shown:</p>\n<pre class=\"preview-error-text\">")
	b.WriteString(html.EscapeString(err.Error()))
	b.WriteString("</pre>\n<p>Mend the file and save it: this page reloads itself.</p></main>\n</body></html>\n")
	w.Write(injectHead(b.Bytes(), version))
}

// injectHead adds the preview's stylesheet and reload script to a page.
func injectHead(b []byte, _ string) []byte {
	tags := `<link rel="stylesheet" href="/_preview/preview.css"><script src="/_preview/reload.js" defer></script>` + "\n"
	if i := bytes.Index(b, []byte("</head>")); i >= 0 {
		return slices.Concat(b[:i], []byte(tags), b[i:])
	}
	return append([]byte(tags), b...)
}

// injectBase makes a page served at / resolve its relative links from
// its own folder.
func injectBase(b []byte, dir string) []byte {
	b = injectHead(b, "")
	tag := []byte(`<base href="` + html.EscapeString(dir) + `">` + "\n")
	if i := bytes.Index(b, []byte("<head>")); i >= 0 {
		i += len("<head>")
		return slices.Concat(b[:i], tag, b[i:])
	}
	return b
}

// decorate puts the draft's findings beside the clauses they concern (a
// finding's clause is the one whose lines hold its position), the others
// in a list at the top, and a bar with the redline's link.
func decorate(b []byte, pol *saiasat.Policy, fs []saiasat.Finding, hasRedline bool) []byte {
	byClause := make(map[string][]saiasat.Finding)
	var loose []saiasat.Finding
	for _, f := range fs {
		// A finding in either language's text is shown beside the clause
		// of that number, naming its file.
		if c := clauseAt(pol, f.Pos); c != nil {
			byClause[c.Number.String()] = append(byClause[c.Number.String()], f)
			continue
		}
		loose = append(loose, f)
	}
	for num, fs := range byClause {
		open := []byte(`<div class="clause" id="` + html.EscapeString(num) + `">`)
		i := bytes.Index(b, open)
		if i < 0 {
			loose = append(loose, fs...)
			continue
		}
		i += len(open)
		b = slices.Concat(b[:i], []byte(asides(fs)), b[i:])
	}
	var bar strings.Builder
	bar.WriteString(`<div class="preview-bar" role="status"><strong>Preview</strong> · `)
	fmt.Fprintf(&bar, `<span class="preview-count">%d</span> findings`, len(fs))
	if hasRedline {
		fmt.Fprintf(&bar, ` · <a class="preview-redline" href="/_preview/redline/%s">Redline against the edition in force</a>`, html.EscapeString(pol.ID))
	}
	bar.WriteString("</div>\n")
	if len(loose) > 0 {
		bar.WriteString(`<ul class="preview-loose">`)
		for _, f := range loose {
			bar.WriteString("<li>" + findingText(f) + "</li>")
		}
		bar.WriteString("</ul>\n")
	}
	if i := bytes.Index(b, []byte("<main>")); i >= 0 {
		i += len("<main>")
		return slices.Concat(b[:i], []byte(bar.String()), b[i:])
	}
	return b
}

func asides(fs []saiasat.Finding) string {
	var s strings.Builder
	for _, f := range fs {
		s.WriteString(`<aside class="preview-finding preview-` + html.EscapeString(f.Severity.String()) + `">` + findingText(f) + "</aside>")
	}
	return s.String()
}

func findingText(f saiasat.Finding) string {
	return fmt.Sprintf(`<span class="preview-pos">%s:%d</span> %s <span class="preview-rule">[%s]</span>`,
		html.EscapeString(filepath.Base(f.Pos.File)), f.Pos.Line, html.EscapeString(f.Message), html.EscapeString(f.Rule))
}

// clauseAt returns the clause of any of the policy's texts whose lines
// hold pos, or nil.
func clauseAt(pol *saiasat.Policy, pos saiasat.Pos) *saiasat.Clause {
	for _, l := range pol.Languages {
		d := pol.Docs[l]
		if d == nil || !sameFile(pos.File, d.File) {
			continue
		}
		for _, c := range d.Clauses() {
			end := max(c.EndLine, c.Pos.Line)
			if pos.Line >= c.Pos.Line && pos.Line <= end {
				return c
			}
		}
	}
	return nil
}

func sameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	return a == b || filepath.Clean(a) == filepath.Clean(b) || strings.HasSuffix(a, string(filepath.Separator)+filepath.Base(b)) && filepath.Base(a) == filepath.Base(b)
}

// reloadJS polls the version and reloads the page when it changes: the
// one script of the preview, never of the published site.
var reloadJS = []byte(`// saiasat preview: reload when a file of the draft is saved.
(function () {
  var seen = null;
  function poll() {
    fetch("/_preview/version", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) { location.reload(); return; }
      seen = v;
      setTimeout(poll, 300);
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
`)

// previewCSS places the findings beside their clauses on a wide screen,
// under them on a phone.
var previewCSS = []byte(`.preview-bar { position: sticky; top: 0; z-index: 10; background: #fff8d6; border-bottom: 1px solid #d4b84a; padding: .4em .8em; font: 14px/1.4 sans-serif; }
.preview-loose { background: #fff1f0; font: 13px/1.4 sans-serif; margin: .5em 0; padding: .5em 1.5em; }
.preview-finding { display: block; font: 13px/1.4 sans-serif; background: #fff1f0; border-left: 4px solid #c0392b; padding: .3em .6em; margin: .3em 0; }
.preview-finding.preview-warning { background: #fff8e6; border-left-color: #d68910; }
.preview-rule, .preview-pos { color: #666; }
.preview-error-text { white-space: pre-wrap; background: #fff1f0; border-left: 4px solid #c0392b; padding: 1em; }
@media (min-width: 1100px) {
  div.clause { position: relative; }
  .preview-finding { position: absolute; left: 100%; width: 16rem; margin: 0 0 0 1.5rem; top: 0; }
}
`)
