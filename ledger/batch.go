package ledger

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
)

// Batcher is the group commit of a store: appends wait in a queue, one
// writer hands them to write in batches, and each caller is answered once
// the batch holding its record is durable. When a batch fails, its halves
// are written again, and theirs, so one bad record fails alone.
type Batcher struct {
	write  func([]*Record) error
	limit  atomic.Int64
	queue  chan *pending
	closed chan struct{}
	done   chan struct{}
	// mu guards isClosed: Append enqueues under RLock, Close sets it under
	// Lock, so nothing is queued after the writer's last drain.
	mu       sync.RWMutex
	isClosed bool
	// recent holds the unique values (idempotency keys, withdrawn
	// consents) of the last recentSize records that had one, in a ring;
	// only the writer goroutine touches them.
	recent map[string]bool
	ring   []string
	next   int
}

// recentSize bounds the unique values the writer remembers: enough for the
// records of the few batches a racing repeat may trail by.
const recentSize = 4096

type pending struct {
	rec  *Record
	done chan error
}

// NewBatcher starts the writer; write must write all of its records in one
// transaction, or none (and, given none, sign a checkpoint of the tree as
// it is, if the store signs any).
func NewBatcher(write func([]*Record) error, limit int) *Batcher {
	b := &Batcher{write: write, queue: make(chan *pending, 4096), closed: make(chan struct{}), done: make(chan struct{})}
	b.limit.Store(int64(limit))
	go b.run()
	return b
}

// SetLimit changes the largest batch; 1 makes one transaction per record
// (the naive loop, for benchmarks).
func (b *Batcher) SetLimit(n int) { b.limit.Store(int64(n)) }

// Append queues r and returns once it is durable, or why it is not. Once
// queued, the answer is awaited even if ctx ends: nothing acknowledged is
// lost, and nothing is written unanswered.
func (b *Batcher) Append(ctx context.Context, r *Record) error {
	if r == nil {
		return errors.New("append: no record")
	}
	return b.enqueue(ctx, r)
}

// CheckpointNow has the writer call write with no record — a transaction
// that only signs a checkpoint of the tree as it is — and returns once it
// is durable: checkpoints go through the one writer, like records.
func (b *Batcher) CheckpointNow(ctx context.Context) error { return b.enqueue(ctx, nil) }

func (b *Batcher) enqueue(ctx context.Context, r *Record) error {
	p := &pending{rec: r, done: make(chan error, 1)}
	b.mu.RLock()
	if b.isClosed {
		b.mu.RUnlock()
		return errors.New("store closed")
	}
	select {
	case b.queue <- p:
	case <-ctx.Done():
		b.mu.RUnlock()
		return ctx.Err()
	}
	b.mu.RUnlock()
	return <-p.done
}

func (b *Batcher) run() {
	defer close(b.done)
	for {
		var batch []*pending
		select {
		case p := <-b.queue:
			batch = append(batch, p)
		case <-b.closed:
			// Write what was queued before the close, then stop.
			for {
				select {
				case p := <-b.queue:
					if p.rec == nil {
						p.done <- b.write(nil)
						continue
					}
					p.done <- b.write([]*Record{p.rec})
				default:
					return
				}
			}
		}
		limit := int(b.limit.Load())
	fill:
		for len(batch) < limit {
			select {
			case p := <-b.queue:
				batch = append(batch, p)
			default:
				break fill
			}
		}
		// Checkpoint requests (nil records) are answered by a transaction
		// of their own after the batch's, which signs the tree as it then
		// is.
		var syncs []*pending
		batch = slices.DeleteFunc(batch, func(p *pending) bool {
			if p.rec == nil {
				syncs = append(syncs, p)
			}
			return p.rec == nil
		})
		// A record that would break a unique constraint with an earlier one
		// of the batch or of the last few (a repeated idempotency key, a
		// second withdrawal of one consent: a client's retry racing its
		// first attempt) would fail the whole batch and make every record
		// take its own transaction. It is held back and written on its own
		// after the batch, where it fails alone (or succeeds, if the earlier
		// one failed).
		batch, later := b.splitConflicts(batch)
		if len(batch) > 0 {
			b.writeOrSplit(batch)
		}
		for _, p := range later {
			p.done <- b.write([]*Record{p.rec})
		}
		if len(syncs) > 0 {
			err := b.write(nil)
			for _, p := range syncs {
				p.done <- err
			}
		}
	}
}

// writeOrSplit writes batch in one transaction and answers its callers; if
// that fails, it writes each half the same way, so that a bad record fails
// alone after about 2·log2(n) transactions, not n (a duplicate from
// another replica, say, which no in-process check can see coming).
func (b *Batcher) writeOrSplit(batch []*pending) {
	recs := make([]*Record, len(batch))
	for i, p := range batch {
		recs[i] = p.rec
	}
	err := b.write(recs)
	if err != nil && len(batch) > 1 {
		b.writeOrSplit(batch[:len(batch)/2])
		b.writeOrSplit(batch[len(batch)/2:])
		return
	}
	for _, p := range batch {
		p.done <- err
	}
}

// splitConflicts returns the records of batch whose unique values are new,
// and those that repeat one of an earlier record, in the batch or recent;
// it remembers the new ones.
func (b *Batcher) splitConflicts(batch []*pending) (ok, later []*pending) {
	if size := max(recentSize, 2*len(batch)); len(b.ring) < size {
		// Twice the batch at least, so that none of its own values is
		// forgotten before the batch is through.
		ring := make([]string, size)
		copy(ring, b.ring[b.next:])
		copy(ring[len(b.ring)-b.next:], b.ring[:b.next])
		b.next = len(b.ring)
		b.ring = ring
		if b.recent == nil {
			b.recent = make(map[string]bool, size)
		}
	}
	ok = batch[:0:0]
	for _, p := range batch {
		keys := conflictKeys(p.rec)
		clash := false
		for _, k := range keys {
			clash = clash || b.recent[k]
		}
		if clash {
			later = append(later, p)
			continue
		}
		for _, k := range keys {
			delete(b.recent, b.ring[b.next])
			b.ring[b.next] = k
			b.recent[k] = true
			b.next = (b.next + 1) % len(b.ring)
		}
		ok = append(ok, p)
	}
	return ok, later
}

// conflictKeys are the values of r that the stores keep unique and a
// client may repeat (record ids are random, made by the service).
func conflictKeys(r *Record) []string {
	var keys []string
	if r.IdempotencyKey != "" {
		keys = append(keys, "idempotency "+r.IdempotencyKey)
	}
	if r.Kind == KindWithdrawal {
		keys = append(keys, "withdrawal "+r.Consent)
	}
	return keys
}

// Close stops taking appends, writes those queued, and stops the writer.
func (b *Batcher) Close() {
	b.mu.Lock()
	if b.isClosed {
		b.mu.Unlock()
		return
	}
	b.isClosed = true
	b.mu.Unlock()
	close(b.closed)
	<-b.done
}
