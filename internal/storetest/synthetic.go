package storetest

import "golang.org/x/mod/sumdb/tlog"

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
