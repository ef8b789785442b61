package server

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"
	"time"
)

// buckets of the latency histogram, in seconds.
var buckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

type series struct {
	count   uint64
	sum     float64
	buckets []uint64
}

// metrics counts requests and their latencies by route and status, and
// writes them in Prometheus's text format.
type metrics struct {
	mu sync.Mutex
	m  map[seriesKey]*series
}

// seriesKey names a series; the status stays a number until written, so
// counting a request converts nothing.
type seriesKey struct {
	route  string
	status int
}

func newMetrics() *metrics { return &metrics{m: make(map[seriesKey]*series)} }

func (m *metrics) observe(route string, status int, d time.Duration) {
	key := seriesKey{route, status}
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.m[key]
	if s == nil {
		s = &series{buckets: make([]uint64, len(buckets))}
		m.m[key] = s
	}
	sec := d.Seconds()
	s.count++
	s.sum += sec
	for i, b := range buckets {
		if sec <= b {
			s.buckets[i]++
		}
	}
}

func (m *metrics) write(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	keys := make([][2]string, 0, len(m.m))
	byKey := make(map[[2]string]*series, len(m.m))
	for k, s := range m.m {
		sk := [2]string{k.route, strconv.Itoa(k.status)}
		keys = append(keys, sk)
		byKey[sk] = s
	}
	slices.SortFunc(keys, func(a, b [2]string) int {
		if a[0] != b[0] {
			if a[0] < b[0] {
				return -1
			}
			return 1
		}
		if a[1] < b[1] {
			return -1
		}
		if a[1] > b[1] {
			return 1
		}
		return 0
	})
	fmt.Fprintln(w, "# HELP saiasat_http_requests_total HTTP requests by route and status.")
	fmt.Fprintln(w, "# TYPE saiasat_http_requests_total counter")
	for _, k := range keys {
		fmt.Fprintf(w, "saiasat_http_requests_total{route=%q,status=%q} %d\n", k[0], k[1], byKey[k].count)
	}
	fmt.Fprintln(w, "# HELP saiasat_http_request_duration_seconds HTTP request latency by route and status.")
	fmt.Fprintln(w, "# TYPE saiasat_http_request_duration_seconds histogram")
	for _, k := range keys {
		s := byKey[k]
		for i, b := range buckets {
			fmt.Fprintf(w, "saiasat_http_request_duration_seconds_bucket{route=%q,status=%q,le=\"%g\"} %d\n", k[0], k[1], b, s.buckets[i])
		}
		fmt.Fprintf(w, "saiasat_http_request_duration_seconds_bucket{route=%q,status=%q,le=\"+Inf\"} %d\n", k[0], k[1], s.count)
		fmt.Fprintf(w, "saiasat_http_request_duration_seconds_sum{route=%q,status=%q} %g\n", k[0], k[1], s.sum)
		fmt.Fprintf(w, "saiasat_http_request_duration_seconds_count{route=%q,status=%q} %d\n", k[0], k[1], s.count)
	}
}
