package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/ledger"
)

// A batch holding one bad record must still write the others, and only
// the bad one's caller hears the error.
func TestBatcherBadRecordFailsAlone(t *testing.T) {
	var mu sync.Mutex
	written := map[string]bool{}
	bad := errors.New("bad record")
	write := func(recs []*ledger.Record) error {
		for _, r := range recs {
			if r.ID == "bad" {
				return bad
			}
		}
		mu.Lock()
		defer mu.Unlock()
		for _, r := range recs {
			written[r.ID] = true
		}
		return nil
	}
	b := ledger.NewBatcher(write, 64)
	errs := testtool.Parallel(50, func(i int) error {
		id := fmt.Sprint(i)
		if i == 25 {
			id = "bad"
		}
		return b.Append(context.Background(), &ledger.Record{ID: id})
	})
	b.Close()
	for i, err := range errs {
		if i == 25 {
			if !errors.Is(err, bad) {
				t.Errorf("bad record: err = %v, want %v", err, bad)
			}
			continue
		}
		if err != nil {
			t.Errorf("record %d: %v", i, err)
		}
		if !written[fmt.Sprint(i)] {
			t.Errorf("record %d acknowledged but not written", i)
		}
	}
	if err := b.Append(context.Background(), &ledger.Record{ID: "late"}); err == nil {
		t.Error("Append after Close succeeded")
	}
}

// Records that repeat a unique value of an earlier record, in their batch
// or a recent one (an idempotency key, the consent of a withdrawal), are
// written after it on their own, so they never fail a batch and make every
// record of it take its own transaction.
func TestBatcherHoldsBackConflicts(t *testing.T) {
	var mu sync.Mutex
	var calls, failed int
	written := map[string]string{} // unique value → id that holds it
	write := func(recs []*ledger.Record) error {
		mu.Lock()
		defer mu.Unlock()
		calls++
		seen := map[string]bool{}
		for _, r := range recs {
			for _, k := range []string{"k" + r.IdempotencyKey, "w" + r.Consent} {
				if k == "k" || k == "w" {
					continue
				}
				if _, ok := written[k]; ok || seen[k] {
					failed++
					return ledger.ErrDuplicate
				}
				seen[k] = true
			}
		}
		for _, r := range recs {
			if r.IdempotencyKey != "" {
				written["k"+r.IdempotencyKey] = r.ID
			}
			if r.Consent != "" {
				written["w"+r.Consent] = r.ID
			}
		}
		return nil
	}
	b := ledger.NewBatcher(write, 512)
	const n = 200
	errs := testtool.Parallel(n, func(i int) error {
		r := &ledger.Record{ID: fmt.Sprint(i), Kind: ledger.KindConsent}
		switch {
		case i%10 == 0: // ten pairs share a key: 0 and 1, 10 and 11, …
			r.IdempotencyKey = fmt.Sprint("key", i)
		case i%10 == 1:
			r.IdempotencyKey = fmt.Sprint("key", i-1)
		case i%10 == 2, i%10 == 3: // two withdrawals of one consent
			r.Kind, r.Consent = ledger.KindWithdrawal, fmt.Sprint("c", i/10)
		}
		return b.Append(context.Background(), r)
	})
	b.Close()
	dups := 0
	for i, err := range errs {
		switch {
		case errors.Is(err, ledger.ErrDuplicate):
			dups++
		case err != nil:
			t.Errorf("record %d: %v", i, err)
		}
	}
	if dups != 2*n/10 {
		t.Errorf("%d duplicates refused, want %d (one of each pair)", dups, 2*n/10)
	}
	// Every refusal is a held-back record written alone: no batch failed.
	if failed != dups {
		t.Errorf("%d writes failed for %d duplicates: a batch failed because of a conflict within it", failed, dups)
	}
}

// A failed batch is retried half by half: one bad record among 64 costs
// about 2·log2(64) transactions, not 64.
func TestBatcherSplitsAFailedBatch(t *testing.T) {
	var mu sync.Mutex
	writes := 0
	hold, holding := make(chan struct{}), make(chan struct{})
	write := func(recs []*ledger.Record) error {
		if len(recs) == 1 && recs[0].ID == "first" {
			close(holding)
			<-hold // the others queue up meanwhile, into one batch
			return nil
		}
		mu.Lock()
		writes++
		mu.Unlock()
		for _, r := range recs {
			if r.ID == "bad" {
				return errors.New("bad record")
			}
		}
		return nil
	}
	b := ledger.NewBatcher(write, 64)
	defer b.Close()
	firstDone := make(chan error)
	go func() { firstDone <- b.Append(context.Background(), &ledger.Record{ID: "first"}) }()
	<-holding
	go func() {
		for b.Queued() < 64 {
			runtime.Gosched()
		}
		close(hold)
	}()
	errs := testtool.Parallel(64, func(i int) error {
		id := fmt.Sprint(i)
		if i == 37 {
			id = "bad"
		}
		return b.Append(context.Background(), &ledger.Record{ID: id})
	})
	<-firstDone
	for i, err := range errs {
		if (err != nil) != (i == 37) {
			t.Errorf("record %d: %v", i, err)
		}
	}
	// 1 + 2 per level for 6 levels = 13.
	if writes > 13 {
		t.Errorf("%d transactions for one bad record in a batch of 64, want at most 13", writes)
	}
}
