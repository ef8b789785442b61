// Package site builds the published website of approved releases: per
// language the edition in force, every past edition, "what changed" pages,
// an index of editions, an Atom feed, each edition's PDF and canonical
// Markdown, and a static mirror of the read-only API. The site is built in
// memory, so the server can serve it as publish writes it.
package site

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/markdown"
)

// Input is one policy to publish: its verified releases (only approved
// ones are published) and, for --draft, its working draft.
type Input struct {
	Releases []*saiasat.Release
	Draft    *saiasat.Policy
}

// ID names the policy of an input, for messages.
func (in Input) ID() string {
	switch {
	case in.Draft != nil:
		return in.Draft.ID
	case len(in.Releases) > 0:
		return in.Releases[0].ID
	}
	return "?"
}

// Options shape the build.
type Options struct {
	// BaseURL, when set, makes the feed's, the API's and the PDFs' links
	// absolute ("https://www.satcredit.kz").
	BaseURL string
	// Now decides which edition is in force.
	Now time.Time
	// FirstDrafts builds the draft of a policy that has no approved
	// edition yet (a new consent form being written): the preview's case.
	// publish never sets it, since such a draft has nothing to replace and
	// must not be published before its first approval.
	FirstDrafts bool
}

// Site is the built website: file paths (slash-separated, relative to the
// site's root) and their bytes.
type Site struct {
	Files map[string][]byte
	// API indexes the API documents among Files, for the server.
	API *API
	// NextChange is the first effective date after Options.Now of any
	// approved edition: the moment the site's "current" pages go stale.
	// Zero when no edition is to come.
	NextChange time.Time
	// Skipped names the policies with no approved release yet.
	Skipped []string
}

// Paths returns the site's file paths, sorted.
func (s *Site) Paths() []string {
	ps := make([]string, 0, len(s.Files))
	for p := range s.Files {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}

// edition is one published text of a policy: an approved release, or the
// draft.
type edition struct {
	n         int
	draft     bool
	release   *saiasat.Release
	policy    *saiasat.Policy
	effective time.Time
	version   saiasat.Hash
	texts     map[saiasat.Lang][]byte
	hashes    map[saiasat.Lang]saiasat.Hash
	pdfs      map[saiasat.Lang][]byte
	pdfHashes map[saiasat.Lang]saiasat.Hash
}

// parse returns the edition's text in language l parsed in its policy's
// numbering scheme.
func (e *edition) parse(l saiasat.Lang) *saiasat.Document {
	doc, _ := markdown.Parse(string(l)+".md", l, e.texts[l], markdown.WithNumbering(e.policy.Numbering))
	return doc
}

// dir is the edition's folder under a language's policy folder.
func (e *edition) dir() string {
	if e.draft {
		return "draft"
	}
	return fmt.Sprintf("editions/%d", e.n)
}

type builder struct {
	opt     Options
	files   map[string][]byte
	api     *API
	next    time.Time
	skipped []string
}

// Build builds the site of inputs.
func Build(inputs []Input, opt Options) (*Site, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	opt.BaseURL = strings.TrimSuffix(opt.BaseURL, "/")
	b := &builder{opt: opt, files: make(map[string][]byte), api: &API{Policies: make(map[string]*PolicyAPI), Texts: make(map[saiasat.Hash]*TextAPI), Versions: make(map[saiasat.Hash]string)}}
	var index []indexPolicy
	var all [][]*edition
	for _, in := range inputs {
		es, err := editions(in)
		if err != nil {
			return nil, err
		}
		if len(es) == 0 || es[0].draft && !opt.FirstDrafts {
			// A policy with no approved release yet has nothing to publish;
			// the others still do.
			b.skipped = append(b.skipped, in.ID())
			continue
		}
		// Each edition's PDFs, once: the pages link them, the API lists
		// their hashes.
		for _, e := range es {
			if e.pdfs, e.pdfHashes, err = pdfs(e, b.pdfURL); err != nil {
				return nil, err
			}
		}
		ips, err := b.policy(es)
		if err != nil {
			return nil, err
		}
		index = append(index, ips...)
		all = append(all, es)
	}
	if err := b.index(index); err != nil {
		return nil, err
	}
	if err := b.apiPolicies(all); err != nil {
		return nil, err
	}
	if err := b.addAssets(); err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no approved release to publish (policies without one: %v)", b.skipped)
	}
	return &Site{Files: b.files, API: b.api, NextChange: b.next, Skipped: b.skipped}, nil
}

func (b *builder) add(p string, data []byte) { b.files[p] = data }

// url returns the public URL of a site path: absolute with BaseURL, else
// root-relative.
func (b *builder) url(p string) string {
	p = "/" + strings.TrimSuffix(strings.TrimSuffix(p, "index.html"), "/")
	if strings.HasSuffix(p, "/") || !strings.Contains(path.Base(p), ".") {
		p = strings.TrimSuffix(p, "/") + "/"
	}
	return b.opt.BaseURL + p
}

// pdfURL is the address a PDF's footer prints: the page's absolute URL, or
// nothing without BaseURL, since a bare path on paper leads nowhere.
func (b *builder) pdfURL(p string) string {
	if b.opt.BaseURL == "" {
		return ""
	}
	return b.url(p)
}

// rel returns the link from the page at path from to the path to, so the
// site works from any folder and from file://.
func rel(from, to string) string {
	fromDir := path.Dir(from)
	if fromDir == "." {
		fromDir = ""
	}
	up := 0
	if fromDir != "" {
		up = strings.Count(fromDir, "/") + 1
	}
	target := strings.TrimSuffix(to, "index.html")
	return strings.Repeat("../", up) + target
}

// editions returns the approved releases (and the draft) of in as
// editions, with canonical texts and hashes.
func editions(in Input) ([]*edition, error) {
	var es []*edition
	for _, r := range in.Releases {
		if !r.Approved() {
			continue
		}
		e := &edition{n: r.Edition, release: r, policy: r.Policy(""), effective: r.Effective, version: r.Version,
			texts: make(map[saiasat.Lang][]byte), hashes: r.Texts}
		for _, l := range r.Languages {
			e.texts[l] = r.Docs[l].Source
		}
		es = append(es, e)
	}
	if p := in.Draft; p != nil {
		h, err := canon.PolicyHashes(p)
		if err != nil {
			return nil, err
		}
		e := &edition{n: p.Edition, draft: true, policy: p, effective: p.Effective, version: h.Version,
			texts: make(map[saiasat.Lang][]byte), hashes: make(map[saiasat.Lang]saiasat.Hash)}
		for _, lh := range h.Languages {
			c, err := canon.FormatDoc(p.Docs[lh.Lang])
			if err != nil {
				return nil, err
			}
			e.texts[lh.Lang], e.hashes[lh.Lang] = c, lh.Text
		}
		es = append(es, e)
	}
	return es, nil
}

// current returns the approved edition in force at now: the latest whose
// effective date has come. An edition approved for a future date is not
// yet current.
func current(es []*edition, now time.Time) *edition {
	var cur *edition
	for _, e := range es {
		if !e.draft && !saiasat.InForceFrom(e.effective).After(now) && (cur == nil || e.n > cur.n) {
			cur = e
		}
	}
	return cur
}

// previous returns the approved edition before e, or nil.
func previous(es []*edition, e *edition) *edition {
	var prev *edition
	for _, o := range es {
		if !o.draft && o.n < e.n && (prev == nil || o.n > prev.n) {
			prev = o
		}
	}
	return prev
}

// Write writes the site to dir as a whole: into a new folder beside it,
// each file synced, then swapped in by rename, so a reader of dir sees the
// old site or the new one, never half of each.
func (s *Site) Write(dir string) error {
	dir = filepath.Clean(dir)
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".new-")
	if err != nil {
		return fmt.Errorf("publish %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp)
	for _, p := range s.Paths() {
		full := filepath.Join(tmp, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return fmt.Errorf("publish %s: %w", dir, err)
		}
		if err := writeSynced(full, s.Files[p]); err != nil {
			return fmt.Errorf("publish %s: %w", dir, err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("publish %s: %w", dir, err)
	}
	old := ""
	if _, err := os.Stat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("publish %s: %w", dir, err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir)
		}
		return fmt.Errorf("publish %s: %w", dir, err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

func writeSynced(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
