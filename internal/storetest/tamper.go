package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/ledger"
	"golang.org/x/mod/sumdb/tlog"
)

// base is the index of the first record the tamper cases name: the issue's
// attack swaps the subjects of records 100 and 101.
const base = 100

// tamperFixture is a ledger of base filler records, then alice (100, with
// an idempotency key), bob (101), alice (102), alice (103, with a key),
// carol (104), the withdrawal of 102 (105) and four of dave's (106–109),
// all by client a: 110 records, each batch checkpointed.
type tamperFixture struct {
	s    *service
	recs []*ledger.Record // from index base on
}

func newTamperFixture(t *testing.T, bk Backend) (*tamperFixture, func()) {
	ctx := context.Background()
	st, _ := bk.Open(t)
	s := newService(t, st)
	errs := testtool.Parallel(base, func(i int) error {
		_, err := s.Consent(ctx, request(fmt.Sprint("filler-", i%10), "z", text1))
		return err
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	f := &tamperFixture{s: s}
	for i, subject := range []string{"alice", "bob", "alice", "alice", "carol"} {
		req := request(subject, "a", text1)
		if i == 0 || i == 3 {
			req.IdempotencyKey = fmt.Sprint("key-", i)
		}
		f.recs = append(f.recs, s.consent(t, req))
	}
	w, err := s.Withdraw(ctx, a, f.recs[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	f.recs = append(f.recs, w)
	for range 4 {
		f.recs = append(f.recs, s.consent(t, request("dave", "a", text1)))
	}
	for i, r := range f.recs {
		if r.Index != base+int64(i) {
			t.Fatalf("record %s has index %d, want %d", r.ID, r.Index, base+i)
		}
	}
	if rep := s.report(t); len(rep.Problems) != 0 || rep.Covered != base+10 {
		t.Fatalf("before editing: %v (covered %d)", rep.Problems, rep.Covered)
	}
	return f, func() { st.Close() }
}

// verifyLines runs ledger verify through bk.Verify, or, without it, as
// the command does (ledger.VerifySnapshot, a line per problem, exit 1).
func (f *tamperFixture) verify(t *testing.T, bk Backend) (int, []string) {
	t.Helper()
	if bk.Verify != nil {
		code, out := bk.Verify(t, f.s.Store, f.s.vkey)
		return code, strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	}
	rep := f.s.report(t)
	var lines []string
	for _, p := range rep.Problems {
		lines = append(lines, p.String())
	}
	if len(lines) == 0 {
		return 0, nil
	}
	return 1, lines
}

// RunColumns edits each column of each table (records, hashes,
// checkpoints, meta) of a ledger of 110 records, one edit per case, with
// the database's own client (bk.Client), and checks that ledger verify
// (bk.Verify) exits 1 naming the record or row first, and that the reads
// that meet the edited row fail with a *ledger.TamperedError instead of
// answering from it. The first two cases are the issue's: the subject of
// record 101 copied into record 100, and an id edited.
func RunColumns(t *testing.T, bk Backend) {
	ctx := context.Background()
	tampered := func(t *testing.T, what string, err error) {
		t.Helper()
		var te *ledger.TamperedError
		if !errors.As(err, &te) {
			t.Errorf("%s after the edit: %v, want the edited row refused (a TamperedError)", what, err)
		}
	}
	leafHash := func(n int64) int64 { return tlog.StoredHashIndex(0, n) }
	// A hash of level 1 on the proof of record 100 (the node over records
	// 102 and 103): stored when record 103 was appended.
	node := tlog.StoredHashIndex(1, (base+3)/2)
	proof := func(k int) func(t *testing.T, f *tamperFixture) {
		return func(t *testing.T, f *tamperFixture) {
			_, err := f.s.Proof(ctx, a, f.recs[k].ID)
			tampered(t, "proof", err)
		}
	}
	get := func(k int) func(t *testing.T, f *tamperFixture) {
		return func(t *testing.T, f *tamperFixture) {
			_, err := f.s.Get(ctx, a, f.recs[k].ID)
			tampered(t, "get by id", err)
		}
	}
	latestCheckpoint := func(t *testing.T, f *tamperFixture) {
		_, err := f.s.LatestCheckpoint(ctx)
		tampered(t, "the latest checkpoint", err)
		proof(0)(t, f)
	}
	r := func(k int) string { return fmt.Sprint("record ", base+k) }
	cases := []struct {
		name  string
		sql   func(f *tamperFixture) string
		where string // what verify must name first
		read  func(t *testing.T, f *tamperFixture)
	}{
		{"records.subject: 101's copied into 100", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE records SET subject = (SELECT subject FROM records WHERE idx = %d) WHERE idx = %d`, base+1, base)
		}, r(0), func(t *testing.T, f *tamperFixture) {
			_, _, err := f.s.Subject(ctx, a, "bob", ledger.Page{})
			tampered(t, "bob's listing", err)
		}},
		{"records.id", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE records SET id = '%s' WHERE idx = %d`, strings.Repeat("ab", 16), base)
		}, r(0), func(t *testing.T, f *tamperFixture) {
			_, err := f.s.Get(ctx, a, strings.Repeat("ab", 16))
			tampered(t, "get by the edited id", err)
			_, err = f.s.Proof(ctx, a, strings.Repeat("ab", 16))
			tampered(t, "proof by the edited id", err)
		}},
		{"records.kind", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE records SET kind = 'withdrawal' WHERE idx = %d`, base+3)
		}, r(3), get(3)},
		{"records.consent", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE records SET consent = '%s' WHERE idx = %d`, f.recs[4].ID, base+5)
		}, r(5), func(t *testing.T, f *tamperFixture) {
			_, err := f.s.Withdraw(ctx, a, f.recs[4].ID)
			tampered(t, "withdrawal lookup", err)
		}},
		{"records.client", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE records SET client = 'b' WHERE idx = %d`, base+3)
		}, r(3), func(t *testing.T, f *tamperFixture) {
			_, _, err := f.s.Subject(ctx, b, "alice", ledger.Page{})
			tampered(t, "alice's listing as client b", err)
		}},
		{"records.idem: 103's key moved to 104", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE records SET idem = 'moved-' || idem WHERE idx = %[1]d; UPDATE records SET idem = substr((SELECT idem FROM records WHERE idx = %[1]d), 7) WHERE idx = %[2]d; UPDATE records SET idem = NULL WHERE idx = %[1]d`, base+3, base+4)
		}, r(3), func(t *testing.T, f *tamperFixture) {
			req := request("alice", "a", text1)
			req.IdempotencyKey = "key-3"
			_, err := f.s.Consent(ctx, req)
			tampered(t, "idempotency key lookup", err)
		}},
		{"records.idx", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE records SET idx = 100000 WHERE idx = %d`, base+3)
		}, r(3), get(3)},
		{"records.leaf: another record's", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE records SET leaf = (SELECT leaf FROM records WHERE idx = %d) WHERE idx = %d`, base+6, base+3)
		}, r(3), get(3)},
		{"records.leaf: a field no column copies", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE records SET leaf = %s WHERE idx = %d`, bk.Blob("leaf", `"channel":"web"`, `"channel":"app"`), base+3)
		}, r(3), func(t *testing.T, f *tamperFixture) {
			get(3)(t, f)
			_, _, err := f.s.Subject(ctx, a, "alice", ledger.Page{})
			tampered(t, "alice's listing", err)
		}},
		{"hashes.hash: a record's own", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE hashes SET hash = (SELECT hash FROM hashes WHERE idx = 0) WHERE idx = %d`, leafHash(base+3))
		}, r(3), get(3)},
		{"hashes.hash: a node of the tree", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE hashes SET hash = (SELECT hash FROM hashes WHERE idx = 0) WHERE idx = %d`, node)
		}, r(3), proof(0)},
		{"hashes.idx", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE hashes SET idx = 100000 WHERE idx = %d`, leafHash(base+3))
		}, r(3), get(3)},
		{"hashes.idx: a node of the tree", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE hashes SET idx = 100000 WHERE idx = %d`, node)
		}, r(3), proof(0)},
		{"checkpoints.size", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE checkpoints SET size = 1000 WHERE size = %d`, base+10)
		}, "checkpoint row of size 1000", latestCheckpoint},
		{"checkpoints.note: an older checkpoint's", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE checkpoints SET note = (SELECT note FROM checkpoints WHERE size = %d) WHERE size = %d`, base+9, base+10)
		}, fmt.Sprint("checkpoint row of size ", base+10), latestCheckpoint},
		{"checkpoints.note: its origin edited", func(f *tamperFixture) string {
			return fmt.Sprintf(`UPDATE checkpoints SET note = %s WHERE size = %d`, bk.Blob("note", "saiasat.ledger/", "saiasat.ledgex/"), base+10)
		}, fmt.Sprint("checkpoint row of size ", base+10), latestCheckpoint},
		{"meta.name", func(f *tamperFixture) string { return `UPDATE meta SET name = 'x' WHERE name = 'verifier-key'` }, "meta row verifier-key", nil},
		{"meta.value", func(f *tamperFixture) string {
			return `UPDATE meta SET value = '` + strings.Repeat("0", 32) + `' WHERE name = 'subject-key-id'`
		}, "meta row subject-key-id", func(t *testing.T, f *tamperFixture) {
			// The ledger is bound to its keys at every start.
			if err := ledger.BindKeys(ctx, f.s.Store, f.s.SubjectKey, f.s.vkey); !errors.Is(err, ledger.ErrOtherKeys) {
				t.Errorf("binding the keys after the edit: %v, want %v", err, ledger.ErrOtherKeys)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, done := newTamperFixture(t, bk)
			defer done()
			bk.Client(t, f.s.Store, c.sql(f))
			code, lines := f.verify(t, bk)
			if code != 1 || len(lines) == 0 || !strings.HasPrefix(lines[0], c.where+": ") {
				t.Errorf("verify: exit %d\n%s\nwant exit 1, %s named first", code, strings.Join(lines, "\n"), c.where)
			}
			if c.read != nil {
				c.read(t, f)
			}
		})
	}
}
