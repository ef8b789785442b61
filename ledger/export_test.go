package ledger

// Queued is the number of appends waiting for the writer, for tests that
// need them in one batch.
func (b *Batcher) Queued() int { return len(b.queue) }
