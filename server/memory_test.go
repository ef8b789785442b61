//go:build !race

// The sweep runs without the race detector, in the go test invocation of
// its own that make test runs for the load tests: there the process's
// resident set is the server's, not inflated by the detector's shadow
// memory, and the test bounds it too.

package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The sweep of issue 12: one subject with 25,500 consents, listed by 16
// clients at once, each page after page to the end.
const (
	sweepConsents = 25_500
	sweepListings = 16
	// sweepLimit is the server's memory bound during the sweep: before
	// listings were paged, 16 listings of this subject took the server to
	// 1.6 GB.
	sweepLimit = 200 << 20
)

// goMemory returns the memory the Go runtime holds from the OS and has not
// released: heap, stacks, and its own structures. It is the server's
// memory here, where the server runs in the test's process.
func goMemory() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64() - s[1].Value.Uint64()
}

// peakRSS returns the process's peak resident set since resetPeakRSS, in
// bytes (0 if /proc does not say).
func peakRSS() uint64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// resetPeakRSS makes VmHWM start again from the current resident set.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// The server's memory stays under 200 MB while 16 clients each list a
// subject of 25,500 consents to its end, 1,000 at a time (the largest
// page), over real HTTP, on both stores.
func TestListingMemory(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			store := st.open(t)
			s, _ := newConsentServer(t, time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC), store, nil)
			start := time.Now()
			var next atomic.Int64
			var wg sync.WaitGroup
			errs := make(chan string, 64)
			for range 64 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= sweepConsents {
						if w := sendAs(s, websiteToken, "POST", "/v1/consents", body(`,"evidence":{"ip":"10.1.2.3","user_agent":"Mozilla/5.0 (X11; Linux x86_64)"}`), ""); w.Code != 201 {
							errs <- fmt.Sprintf("%d %s", w.Code, w.Body)
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for e := range errs {
				t.Fatalf("seeding: %s", e)
			}
			t.Logf("%d consents of one subject recorded in %v", sweepConsents, time.Since(start).Round(time.Millisecond))

			addr, _ := live(t, s, 0)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: sweepListings}, Timeout: time.Minute}
			page := func(cursor string) (int, string, error) {
				q := "subject=customer-42&limit=1000"
				if cursor != "" {
					q += "&cursor=" + url.QueryEscape(cursor)
				}
				req, _ := http.NewRequest("GET", "http://"+addr+"/v1/consents?"+q, nil)
				req.Header.Set("Authorization", "Bearer "+websiteToken)
				resp, err := client.Do(req)
				if err != nil {
					return 0, "", err
				}
				defer resp.Body.Close()
				b, err := io.ReadAll(resp.Body)
				if err != nil || resp.StatusCode != 200 {
					return 0, "", fmt.Errorf("%d %.200s %v", resp.StatusCode, b, err)
				}
				var l listing
				if err := json.Unmarshal(b, &l); err != nil {
					return 0, "", err
				}
				if l.NextCursor == nil {
					return len(l.Consents), "", nil
				}
				return len(l.Consents), *l.NextCursor, nil
			}

			base := goMemory()
			resetPeakRSS()
			var peak atomic.Uint64
			stop := make(chan struct{})
			sampled := make(chan struct{})
			go func() {
				defer close(sampled)
				tick := time.NewTicker(5 * time.Millisecond)
				defer tick.Stop()
				for {
					if m := goMemory(); m > peak.Load() {
						peak.Store(m)
					}
					select {
					case <-stop:
						return
					case <-tick.C:
					}
				}
			}()
			sweep := time.Now()
			counts := make([]int, sweepListings)
			lerrs := make([]error, sweepListings)
			for i := range sweepListings {
				wg.Add(1)
				go func() {
					defer wg.Done()
					cursor := ""
					for {
						n, next, err := page(cursor)
						if err != nil {
							lerrs[i] = err
							return
						}
						counts[i] += n
						if next == "" {
							return
						}
						cursor = next
					}
				}()
			}
			wg.Wait()
			close(stop)
			<-sampled
			rss := peakRSS()
			t.Logf("%d listings of %d consents in %v: Go memory %.1f MB before, peak %.1f MB; peak resident set of the process (server and clients) %.1f MB",
				sweepListings, sweepConsents, time.Since(sweep).Round(time.Millisecond), mb(base), mb(peak.Load()), mb(rss))
			for i := range sweepListings {
				if lerrs[i] != nil {
					t.Errorf("listing %d: %v", i, lerrs[i])
				} else if counts[i] != sweepConsents {
					t.Errorf("listing %d: %d consents, want %d", i, counts[i], sweepConsents)
				}
			}
			if p := peak.Load(); p >= sweepLimit {
				t.Errorf("the server's memory peaked at %.1f MB during the sweep, want under %.0f MB", mb(p), mb(sweepLimit))
			}
			if rss == 0 {
				t.Error("no VmHWM in /proc/self/status")
			} else if rss >= sweepLimit {
				t.Errorf("the process's resident set peaked at %.1f MB during the sweep, want under %.0f MB", mb(rss), mb(sweepLimit))
			}
		})
	}
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }
