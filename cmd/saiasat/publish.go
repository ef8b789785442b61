package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/server"
	"github.com/saiasat/saiasat/site"
	"github.com/saiasat/saiasat/source"
)

// PublishOptions are the flags of `saiasat publish`.
type PublishOptions struct {
	Out      string
	Draft    bool
	BaseURL  string
	Policies string
}

func (m *Main) runPublish(ctx context.Context, args []string) error {
	opt := PublishOptions{Policies: DefaultPolicies}
	fs := m.newFlagSet("publish", "", "Builds the static site of every policy's approved releases into -o DIR: per\nlanguage the edition in force, past editions, \"what changed\" pages, an index\nof editions, an Atom feed, each edition's PDF and Markdown, and a static mirror\nof the read-only API under api/v1/. Every release is verified as it loads.")
	fs.StringVar(&opt.Out, "o", "", "the output `folder` (replaced as a whole)")
	fs.BoolVar(&opt.Draft, "draft", false, "add the working draft, marked as a draft on every page")
	fs.StringVar(&opt.BaseURL, "base-url", "", "the site's public `URL`, for absolute links in the feed, API and PDFs")
	fs.StringVar(&opt.Policies, "policies", opt.Policies, "the `folder` of policy folders")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) > 0:
		return usagef("saiasat publish --help", "unexpected argument %q", rest[0])
	case opt.Out == "":
		return usagef("saiasat publish --help", "-o DIR is required")
	}
	inputs, err := loadSiteInputs(opt.Policies, opt.Draft)
	if err != nil {
		return err
	}
	s, err := site.Build(inputs, site.Options{BaseURL: opt.BaseURL, Now: time.Now()})
	if err != nil {
		return err
	}
	server.AddStatic(s)
	if err := s.Write(opt.Out); err != nil {
		return err
	}
	// nginx's configuration for the folder, in it but served by neither
	// (docs/api.md, "Serving the folder with nginx").
	httpConf, serverConf := server.Nginx(s)
	ndir := filepath.Join(opt.Out, server.NginxDir)
	if err := os.MkdirAll(ndir, 0o755); err != nil {
		return fmt.Errorf("publish %s: %w", opt.Out, err)
	}
	for name, b := range map[string][]byte{"http.conf": httpConf, "server.conf": serverConf} {
		if err := os.WriteFile(filepath.Join(ndir, name), b, 0o644); err != nil {
			return fmt.Errorf("publish %s: %w", opt.Out, err)
		}
	}
	for _, id := range s.Skipped {
		fmt.Fprintf(m.Stderr, "note: policy %s has no approved release yet; not published\n", id)
	}
	fmt.Fprintf(m.Stdout, "published %d files to %s\n", len(s.Files), opt.Out)
	return nil
}

// loadSiteInputs loads every policy's verified releases and, with draft,
// its working draft.
func loadSiteInputs(root string, draft bool) ([]site.Input, error) {
	subs, err := source.Discover(os.DirFS(root))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", root, unwrapNotExist(err))
	}
	var inputs []site.Input
	for _, sub := range subs {
		dir := filepath.Join(root, sub)
		rs, err := release.NewStore(dir).Releases()
		if err != nil {
			return nil, err
		}
		in := site.Input{Releases: rs}
		if draft {
			p, fs, err := source.Load(os.DirFS(dir), dir)
			if err != nil {
				return nil, err
			}
			for _, f := range fs {
				if f.Severity.String() == "error" {
					return nil, fmt.Errorf("%s: %s [%s]; the draft must load cleanly to be published", f.Pos, f.Message, f.Rule)
				}
			}
			in.Draft = p
		}
		inputs = append(inputs, in)
	}
	return inputs, nil
}
