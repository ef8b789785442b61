package ledger_test

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/internal/storetest"
	"github.com/saiasat/saiasat/ledger"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// memLog is the smallest store: leaves and stored hashes in slices.
type memLog struct {
	leaves [][]byte
	stored []tlog.Hash
}

func (m *memLog) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		if x >= int64(len(m.stored)) {
			return nil, fmt.Errorf("no hash %d", x)
		}
		out[i] = m.stored[x]
	}
	return out, nil
}

func (m *memLog) append(t *testing.T, r *ledger.Record) {
	t.Helper()
	r.Index = int64(len(m.leaves))
	leaf, err := r.Leaf()
	if err != nil {
		t.Fatal(err)
	}
	hs, err := ledger.StoredHashes(r.Index, leaf, m)
	if err != nil {
		t.Fatal(err)
	}
	m.leaves = append(m.leaves, leaf)
	m.stored = append(m.stored, hs...)
}

func consent(i int) *ledger.Record {
	return &ledger.Record{ID: fmt.Sprintf("c%04d", i), Kind: ledger.KindConsent, Subject: fmt.Sprintf("%064x", i),
		TextSHA256: "sha256:07b8f57c29d70afe036e148f8b138c98c0e754d8875491fea51d2b6af07498c3", Lang: "kk",
		AcceptedAt: "2026-11-25T12:00:00Z", Channel: "web", Evidence: json.RawMessage(`{ "ip": "10.0.0.1", "ua": "<x>" }`),
		RecordedAt: "2026-11-25T12:00:01Z"}
}

func build(t *testing.T, n int) *memLog {
	m := &memLog{}
	for i := range n {
		m.append(t, consent(i))
	}
	return m
}

func TestLeafCanonical(t *testing.T) {
	r := consent(1)
	leaf, err := r.Leaf()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(leaf), `"evidence":{"ip":"10.0.0.1","ua":"<x>"}`) {
		t.Errorf("evidence not compacted or escaped: %s", leaf)
	}
	back, err := ledger.ParseLeaf(leaf)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := back.Leaf()
	if string(again) != string(leaf) {
		t.Errorf("leaf does not round-trip:\n%s\n%s", leaf, again)
	}
}

func TestCheckpointAndProof(t *testing.T) {
	m := build(t, 1000)
	skey, vkey, err := note.GenerateKey(rand.Reader, "saiasat-test")
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := note.NewSigner(skey)
	verifier, _ := note.NewVerifier(vkey)
	cpr := &ledger.Checkpointer{Origin: "example.com/ledger", Signer: signer}
	cp, err := cpr.SignCheckpoint(1000, m)
	if err != nil {
		t.Fatal(err)
	}
	if want := "example.com/ledger\n1000\n"; !strings.HasPrefix(string(cp.Note), want) {
		t.Errorf("checkpoint %q: want the C2SP form, starting %q", cp.Note, want)
	}
	tree, err := ledger.OpenCheckpoint(cp.Note, verifier)
	if err != nil || tree != cp.Tree {
		t.Fatalf("open checkpoint: %v %v", tree, err)
	}
	for _, n := range []int64{0, 1, 511, 999} {
		p, err := ledger.Prove(tree.N, n, m)
		if err != nil {
			t.Fatal(err)
		}
		if err := ledger.CheckProof(p, tree, n, m.leaves[n]); err != nil {
			t.Errorf("proof of %d: %v", n, err)
		}
		if err := ledger.CheckProof(p, tree, n, m.leaves[(n+1)%1000]); err == nil {
			t.Errorf("proof of %d accepts another record", n)
		}
	}
	// A checkpoint with a forged root or by another key is refused.
	_, other, _ := note.GenerateKey(rand.Reader, "saiasat-test")
	ov, _ := note.NewVerifier(other)
	if _, err := ledger.OpenCheckpoint(cp.Note, ov); err == nil {
		t.Error("checkpoint opened with another key")
	}
	forged := strings.Replace(string(cp.Note), "1000\n", "999\n", 1)
	if _, err := ledger.OpenCheckpoint([]byte(forged), verifier); err == nil {
		t.Error("a forged checkpoint opened")
	}
}

// Verify names every edited, removed or reordered record by index.
func TestVerify(t *testing.T) {
	m := build(t, 50)
	tree := tlog.Tree{N: 50}
	tree.Hash, _ = tlog.TreeHash(50, m)
	mid := tlog.Tree{N: 20}
	mid.Hash, _ = tlog.TreeHash(20, m)
	cps := []tlog.Tree{mid, tree}
	if ps := ledger.Verify(m.leaves, m.stored, cps); len(ps) != 0 {
		t.Fatalf("clean log: %v", ps)
	}
	tests := []struct {
		name   string
		change func(leaves [][]byte) [][]byte
		want   string
	}{
		{"one byte of record 7 edited", func(l [][]byte) [][]byte {
			l[7] = []byte(strings.Replace(string(l[7]), `"web"`, `"app"`, 1))
			return l
		}, "record 7: its stored hash differs"},
		{"record 30 removed", func(l [][]byte) [][]byte { return append(l[:30:30], l[31:]...) }, "record 30: carries index 31"},
		{"records 3 and 4 swapped", func(l [][]byte) [][]byte { l[3], l[4] = l[4], l[3]; return l }, "record 3: carries index 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaves := tt.change(append([][]byte(nil), m.leaves...))
			ps := ledger.Verify(leaves, m.stored, cps)
			if len(ps) == 0 || !strings.HasPrefix(ps[0].String(), tt.want) {
				t.Errorf("problems %v, want first %q", ps, tt.want)
			}
		})
	}
}

// BenchmarkProve10M proves a record of a log of ten million leaves: the
// stored hashes are generated (not the records), as a store would hold them.
func BenchmarkProve10M(b *testing.B) {
	const n = 10_000_000
	_, r, err := storetest.SyntheticHashes(n)
	if err != nil {
		b.Fatal(err)
	}
	th, _ := tlog.TreeHash(n, r)
	tree := tlog.Tree{N: n, Hash: th}
	b.ResetTimer()
	k := int64(0)
	for b.Loop() {
		k = (k*7919 + 12345) % n
		if _, err := ledger.Prove(tree.N, k, r); err != nil {
			b.Fatal(err)
		}
	}
}

// One edited row is named alone, not with the records above it in the
// tree.
func TestVerifyNamesOnlyTheEditedRecord(t *testing.T) {
	m := build(t, 16)
	leaves := append([][]byte(nil), m.leaves...)
	leaves[0] = []byte(strings.Replace(string(leaves[0]), `"web"`, `"app"`, 1))
	ps := ledger.Verify(leaves, m.stored, nil)
	if len(ps) != 1 || ps[0].Index != 0 {
		t.Errorf("problems %v, want record 0 alone", ps)
	}
}

// memTx is a transaction on a memLog that counts the hashes read back.
type memTx struct {
	m     *memLog
	reads int
}

func (t *memTx) Hash(idx int64) (tlog.Hash, error) {
	t.reads++
	hs, err := t.m.ReadHashes([]int64{idx})
	if err != nil {
		return tlog.Hash{}, err
	}
	return hs[0], nil
}

func (t *memTx) Put(recs []*ledger.Record, leaves [][]byte, hashFrom int64, hashes []tlog.Hash, _ *ledger.Checkpoint) error {
	if hashFrom != int64(len(t.m.stored)) {
		return fmt.Errorf("hashes put at %d, want %d", hashFrom, len(t.m.stored))
	}
	t.m.leaves = append(t.m.leaves, leaves...)
	t.m.stored = append(t.m.stored, hashes...)
	return nil
}

// WriteBatch with the edge it returned reads nothing back, and writes the
// same hashes as appending one record at a time; an edge of another size is
// not trusted.
func TestWriteBatchEdge(t *testing.T) {
	want := build(t, 300)
	for _, sizes := range [][]int{{1, 1, 1, 7, 64, 100, 126}, {300}, {37, 263}} {
		t.Run(fmt.Sprint(sizes), func(t *testing.T) {
			tx := &memTx{m: &memLog{}}
			var edge *ledger.Edge
			n := 0
			for k, size := range sizes {
				batch := make([]*ledger.Record, size)
				for i := range batch {
					batch[i] = consent(n + i)
				}
				var err error
				edge, err = ledger.WriteBatch(tx, int64(n), batch, edge, nil)
				if err != nil {
					t.Fatal(err)
				}
				n += size
				if k > 0 && tx.reads > 0 {
					t.Fatalf("batch %d read %d hashes back despite the edge", k, tx.reads)
				}
				tx.reads = 0
			}
			if fmt.Sprint(tx.m.stored) != fmt.Sprint(want.stored) {
				t.Fatal("stored hashes differ from appending one record at a time")
			}
			// Another process appended: the edge is of a smaller tree.
			stale := &ledger.Edge{N: edge.N - 1, Hashes: map[int64]tlog.Hash{}}
			for x := range edge.Hashes {
				stale.Hashes[x] = tlog.Hash{1} // wrong on purpose: must not be used
			}
			// Four records: the last one's hashes need the subtree of
			// records 296-299, from the edge or the store.
			if _, err := ledger.WriteBatch(tx, int64(n), []*ledger.Record{consent(n), consent(n + 1), consent(n + 2), consent(n + 3)}, stale, nil); err != nil {
				t.Fatal(err)
			}
			if tx.reads == 0 {
				t.Fatal("no hash was read back: the stale edge was used")
			}
			ref := build(t, n+4)
			if fmt.Sprint(tx.m.stored) != fmt.Sprint(ref.stored) {
				t.Fatal("a stale edge was used")
			}
		})
	}
}

// Checkpoints signed before they named their ledger (tlog's FormatTree,
// origin "go.sum database tree") still open, beside the C2SP form with an
// origin and extension lines; malformed bodies do not.
func TestParseCheckpoint(t *testing.T) {
	m := build(t, 5)
	th, _ := tlog.TreeHash(5, m)
	tree := tlog.Tree{N: 5, Hash: th}
	legacy := string(tlog.FormatTree(tree))
	c2sp, err := ledger.FormatCheckpoint("saiasat.ledger/0123", tree)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		body, origin string
		ok           bool
	}{
		{legacy, ledger.LegacyOrigin, true},
		{string(c2sp), "saiasat.ledger/0123", true},
		{string(c2sp) + "an extension line\n", "saiasat.ledger/0123", true},
		{strings.Replace(string(c2sp), "\n5\n", "\n05\n", 1), "", false},
		{strings.Replace(string(c2sp), "\n5\n", "\n-5\n", 1), "", false},
		{strings.TrimSuffix(string(c2sp), "\n"), "", false},
		{"\n5\n" + th.String() + "\n", "", false},
		{string(c2sp) + "\n", "", false},
	} {
		origin, got, err := ledger.ParseCheckpoint([]byte(c.body))
		if (err == nil) != c.ok || c.ok && (origin != c.origin || got != tree) {
			t.Errorf("%q: %q %v %v; want ok=%v origin %q", c.body, origin, got, err, c.ok, c.origin)
		}
	}
	// A legacy checkpoint signed by the old code opens with the same key.
	skey, vkey, _ := note.GenerateKey(rand.Reader, "saiasat-ledger")
	signer, _ := note.NewSigner(skey)
	verifier, _ := note.NewVerifier(vkey)
	msg, err := note.Sign(&note.Note{Text: legacy}, signer)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ledger.OpenCheckpoint(msg, verifier); err != nil || got != tree {
		t.Errorf("legacy checkpoint: %v %v", got, err)
	}
}
