package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/saiasat/saiasat/ledger"
	"github.com/saiasat/saiasat/server"
	"github.com/saiasat/saiasat/site"
)

// ServeOptions are the flags of `saiasat serve`.
type ServeOptions struct {
	Addr      string
	Policies  string
	BaseURL   string
	LogFormat string
	DB        string
	Tokens    string
}

func (m *Main) runServe(ctx context.Context, args []string) error {
	opt := ServeOptions{Addr: "127.0.0.1:8080", Policies: DefaultPolicies, LogFormat: "text", DB: DefaultDB}
	fs := m.newFlagSet("serve", "", "Serves the site (as publish builds it, from memory) and the read-only API of\nthe approved releases under --policies, each verified as it loads. SIGHUP\nreloads without dropping requests; SIGTERM and SIGINT shut down gracefully.")
	fs.StringVar(&opt.Addr, "addr", opt.Addr, "listen `address`")
	fs.StringVar(&opt.Policies, "policies", opt.Policies, "the `folder` of policy folders")
	fs.StringVar(&opt.BaseURL, "base-url", "", "the site's public `URL`, for absolute links")
	fs.StringVar(&opt.LogFormat, "log-format", opt.LogFormat, "log `format`: text or json")
	fs.StringVar(&opt.DB, "db", opt.DB, "the consent ledger: a SQLite `file`, created on first start, or a postgres:// URL")
	fs.StringVar(&opt.Tokens, "tokens", "", "a `file` of API tokens, one `name scope… token` line each (also SAIASAT_API_TOKENS: full-scope tokens of client \"default\")")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("saiasat serve --help", "unexpected argument %q", rest[0])
	}
	var h slog.Handler
	switch opt.LogFormat {
	case "text":
		h = slog.NewTextHandler(m.Stderr, nil)
	case "json":
		h = slog.NewJSONHandler(m.Stderr, nil)
	default:
		return usagef("saiasat serve --help", "unknown --log-format %q (want text or json)", opt.LogFormat)
	}
	log := slog.New(h)
	load := func(now time.Time) (*site.Site, error) {
		inputs, err := loadSiteInputs(opt.Policies, false)
		if err != nil {
			return nil, err
		}
		return site.Build(inputs, site.Options{BaseURL: opt.BaseURL, Now: now})
	}
	toks, err := apiTokens(opt.Tokens)
	if err != nil {
		return err
	}
	if len(toks) == 0 {
		log.Warn("no API tokens (SAIASAT_API_TOKENS or --tokens): the consent API refuses every request")
	}
	store, keys, err := openLedger(ctx, opt.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := &ledger.Service{Store: store, Signer: keys.signer, Verifier: keys.verifier, SubjectKey: keys.subject, Now: time.Now, Logger: log}
	// A ledger written before its writer signed a checkpoint with every
	// batch gets one now, not on the first request.
	if err := svc.Start(ctx); err != nil {
		shown, hide := redact(opt.DB)
		return fmt.Errorf("ledger %s: %s", shown, hide(err.Error()))
	}
	gc := &gcTuner{log: log}
	srv, err := server.New(load, server.Options{Logger: log, Consents: &server.Consents{Service: svc, Tokens: toks}, OnLoad: func() { gc.tune(true) }})
	if err != nil {
		return err
	}
	defer srv.Close()
	cpCtx, cpCancel := context.WithCancel(context.Background())
	defer cpCancel()
	go checkpointEvery(cpCtx, svc, 10*time.Second)
	// The heap grows while serving (diffs computed on request are kept):
	// GOGC follows it.
	go every(cpCtx, 30*time.Second, func() { gc.tune(false) })

	// Listen first, so a taken port is an error before anything else.
	ln, err := net.Listen("tcp", opt.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", opt.Addr, err)
	}
	hs := server.HTTPServer(srv, slog.NewLogLogger(h, slog.LevelWarn))
	fmt.Fprintf(m.Stdout, "serving %s on http://%s/\n", opt.Policies, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(server.Listener(ln)) }()

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sigs)
	for {
		select {
		case err := <-errc:
			return err
		case <-ctx.Done():
			srv.Drain()
			return shutdown(hs, log)
		case sig := <-sigs:
			if sig == syscall.SIGHUP {
				// Off the signal loop, so a SIGTERM is not kept waiting.
				go func() {
					if err := srv.Reload(); err != nil {
						// The old state keeps serving: a broken release on
						// disk must not take the site down.
						log.Error("reload refused", "err", err)
					}
				}()
				continue
			}
			log.Info("shutting down", "signal", sig.String())
			srv.Drain()
			return shutdown(hs, log)
		}
	}
}

func shutdown(hs *http.Server, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// apiTokens reads the accepted tokens: SAIASAT_API_TOKENS (comma-separated,
// full scope, client "default") and the --tokens file.
func apiTokens(file string) ([]server.Token, error) {
	out := server.EnvTokens(os.Getenv("SAIASAT_API_TOKENS"))
	if file == "" {
		return out, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("--tokens: %w", err)
	}
	defer f.Close()
	ts, err := server.ParseTokens(f, file)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		for _, e := range out {
			if t.Secret == e.Secret {
				return nil, fmt.Errorf("%s: a token of %s is also in SAIASAT_API_TOKENS", file, t.Client)
			}
		}
	}
	return append(out, ts...), nil
}
