package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

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
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprint(i)
			if i == 25 {
				id = "bad"
			}
			errs[i] = b.Append(context.Background(), &ledger.Record{ID: id})
		}()
	}
	wg.Wait()
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
