// Command serveprof runs the read-only part of saiasat serve (the same
// server package, timeouts, listener and a text log line per request to
// stderr) on the bundled policies with a CPU profile, for finding what a
// request costs under wrk (docs/benchmarks.md). Not part of saiasat.
package main

import (
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/server"
	"github.com/saiasat/saiasat/site"
	"github.com/saiasat/saiasat/source"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18091", "listen `address`")
	root := flag.String("policies", "policies", "the `folder` of policy folders")
	prof := flag.String("cpuprofile", "cpu.out", "write the CPU profile to `file` when stopped (SIGINT or SIGTERM)")
	flag.Parse()
	load := func(now time.Time) (*site.Site, error) {
		subs, err := source.Discover(os.DirFS(*root))
		if err != nil {
			return nil, err
		}
		var in []site.Input
		for _, sub := range subs {
			rs, err := release.NewStore(filepath.Join(*root, sub)).Releases()
			if err != nil {
				return nil, err
			}
			in = append(in, site.Input{Releases: rs})
		}
		return site.Build(in, site.Options{Now: now})
	}
	h := slog.NewTextHandler(os.Stderr, nil)
	srv, err := server.New(load, server.Options{Logger: slog.New(h)})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	f, err := os.Create(*prof)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	hs := server.HTTPServer(srv, slog.NewLogLogger(h, slog.LevelWarn))
	go hs.Serve(server.Listener(ln))
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	<-sigs
	pprof.StopCPUProfile()
	f.Close()
	fmt.Fprintln(os.Stdout, "profile written to", *prof)
}
