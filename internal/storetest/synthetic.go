package storetest

import (
	"testing"

	"github.com/saiasat/saiasat/ledger"
	"golang.org/x/mod/sumdb/tlog"
)

// SyntheticLeaf is the leaf of record i in a generated log: four bytes of
// i, enough to tell ten million records apart.
func SyntheticLeaf(i int64) []byte {
	return []byte{byte(i), byte(i >> 8), byte(i >> 16), byte(i >> 24), 0, 0, 0, 0}
}

// SyntheticHashes returns the stored hashes, in order, of a log of n
// records whose leaves are SyntheticLeaf(0) … SyntheticLeaf(n-1), and a
// reader over them; the benchmarks of large logs build on it.
func SyntheticHashes(n int64) ([]tlog.Hash, tlog.HashReader, error) {
	stored := make([]tlog.Hash, 0, tlog.StoredHashCount(n))
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = stored[x]
		}
		return out, nil
	})
	for i := int64(0); i < n; i++ {
		hs, err := tlog.StoredHashesForRecordHash(i, tlog.RecordHash(SyntheticLeaf(i)), r)
		if err != nil {
			return nil, nil, err
		}
		stored = append(stored, hs...)
	}
	return stored, r, nil
}

// BenchProve measures inclusion proofs of random records of the synthetic
// log of n records whose stored hashes r reads (a store, filled from
// SyntheticHashes). Every proof is checked against the tree, or the figure
// would measure nothing.
func BenchProve(b *testing.B, n int64, r tlog.HashReader) {
	th, err := tlog.TreeHash(n, r)
	if err != nil {
		b.Fatal(err)
	}
	tree := tlog.Tree{N: n, Hash: th}
	k := int64(0)
	for b.Loop() {
		k = (k*7919 + 12345) % n
		p, err := ledger.Prove(tree.N, k, r)
		if err != nil {
			b.Fatal(err)
		}
		if err := ledger.CheckProof(p, tree, k, SyntheticLeaf(k)); err != nil {
			b.Fatal(err)
		}
	}
}
