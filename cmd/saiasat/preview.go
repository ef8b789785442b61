package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/saiasat/saiasat/preview"
)

func (m *Main) runPreview(ctx context.Context, args []string) error {
	addr := "127.0.0.1:8081"
	fs := m.newFlagSet("preview", "[DIR]", "Serves the working draft of DIR (a policy folder, or a folder of them; default\npolicies/) as the site will show it, with the findings of check beside their\nclauses and the redline against the edition in force; the page reloads\nitself when a file is saved. A local tool: it listens on 127.0.0.1.")
	fs.StringVar(&addr, "addr", addr, "listen `address`")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	dir := DefaultPolicies
	switch len(rest) {
	case 0:
	case 1:
		dir = rest[0]
	default:
		return usagef("saiasat preview --help", "unexpected argument %q", rest[1])
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	p, err := preview.New(dir, preview.Options{})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	hs := &http.Server{Handler: p, ReadHeaderTimeout: 5 * time.Second}
	fmt.Fprintf(m.Stdout, "previewing %s on http://%s/ (Ctrl-C stops)\n", dir, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
