// Command nethttp is a reference point for bench/serve.sh: the smallest
// net/http server that answers every request with one file's bytes, and,
// by flag, each thing the serve issue requires of saiasat serve (server
// timeouts, the security and caching headers, a log line per request), so
// that their costs, and the floor of any net/http server on this machine,
// are measured beside saiasat and nginx.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18084", "listen `address`")
	timeouts := flag.Bool("timeouts", false, "set saiasat serve's server timeouts")
	headers := flag.Bool("headers", false, "send saiasat serve's security and caching headers")
	vary := flag.Bool("vary", false, "send Vary: Accept too, as saiasat serve does for a text, which is Markdown or a page by Accept")
	logs := flag.Bool("log", false, "log one line per request with log/slog, as saiasat serve does")
	prof := flag.String("cpuprofile", "", "write a CPU profile to `file` when stopped (SIGINT or SIGTERM)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: nethttp [flags] FILE")
		os.Exit(2)
	}
	body, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	length := []string{strconv.Itoa(len(body))}
	var log *slog.Logger
	if *logs {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		hd := w.Header()
		if *headers {
			hd["X-Content-Type-Options"] = []string{"nosniff"}
			hd["Referrer-Policy"] = []string{"no-referrer"}
			hd["X-Frame-Options"] = []string{"DENY"}
			hd["Content-Security-Policy"] = []string{"default-src 'none'; frame-ancestors 'none'"}
			hd["Etag"] = []string{`"sha256:0000000000000000000000000000000000000000000000000000000000000000"`}
			hd["Cache-Control"] = []string{"public, max-age=60"}
		}
		if *vary {
			// With --headers, the ninth header: past eight, Go's map
			// leaves its single group and allocates a table, a cost
			// saiasat pays too.
			hd["Vary"] = []string{"Accept"}
		}
		hd["Content-Type"] = []string{"application/octet-stream"}
		hd["Content-Length"] = length
		w.Write(body)
		if log != nil {
			log.Info("request", "method", r.Method, "path", r.URL.Path, "status", http.StatusOK, "bytes", len(body), "duration", time.Since(start))
		}
	})
	hs := &http.Server{Addr: *addr, Handler: h}
	if *timeouts {
		hs.ReadHeaderTimeout = 5 * time.Second
		hs.ReadTimeout = 10 * time.Second
		hs.WriteTimeout = 30 * time.Second
		hs.IdleTimeout = 120 * time.Second
	}
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		go func() {
			sigs := make(chan os.Signal, 1)
			signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
			<-sigs
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(0)
		}()
	}
	fmt.Fprintln(os.Stderr, hs.ListenAndServe())
	os.Exit(1)
}
