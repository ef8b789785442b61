package storetest

import (
	"context"
	"crypto/rand"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/saiasat/saiasat/ledger"
	"golang.org/x/mod/sumdb/note"
)

// Appender is a store with group commit whose batch limit can be set.
type Appender interface {
	Append(ctx context.Context, r *ledger.Record) error
	SetLimit(n int)
	SetCheckpointer(c *ledger.Checkpointer)
	Close() error
}

// BenchAppend64 measures acknowledged, durable appends per second with 64
// concurrent clients (2 cores × 32), and their p99 latency, with a
// checkpoint signed in every batch's transaction as serve runs it: group commit
// against one transaction per record (the naive loop), each on a fresh
// store from open, in the same run.
func BenchAppend64(b *testing.B, open func(b *testing.B) Appender, record func(i int) *ledger.Record) {
	for _, naive := range []bool{false, true} {
		name := "group-commit"
		if naive {
			name = "naive"
		}
		b.Run(name, func(b *testing.B) {
			s := open(b)
			defer s.Close()
			// As serve runs it: a checkpoint signed in every batch.
			signer := benchSigner(b)
			s.SetCheckpointer(&ledger.Checkpointer{Origin: "bench", Signer: signer})
			if naive {
				s.SetLimit(1)
			}
			var mu sync.Mutex
			next := 0
			var lat []time.Duration
			b.SetParallelism(32)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					mu.Lock()
					i := next
					next++
					mu.Unlock()
					start := time.Now()
					if err := s.Append(context.Background(), record(i)); err != nil {
						b.Error(err)
						return
					}
					d := time.Since(start)
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
			if len(lat) > 0 {
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			}
		})
	}
}

func benchSigner(b *testing.B) note.Signer {
	skey, _, err := note.GenerateKey(rand.Reader, "bench")
	if err != nil {
		b.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		b.Fatal(err)
	}
	return s
}
