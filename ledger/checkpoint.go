package ledger

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Checkpoints are in the C2SP tlog-checkpoint form
// (https://c2sp.org/tlog-checkpoint), the body of a signed note
// (https://c2sp.org/signed-note):
//
//	<origin>
//	<tree size, decimal>
//	<root hash, base64>
//
// then a blank line and the signature lines. The checkpoints signed before
// (golang.org/x/mod/sumdb/tlog's FormatTree) are the same form with the
// origin "go.sum database tree", so one parser reads both and they stay
// verifiable as they are: nothing is migrated.

// LegacyOrigin is the origin line of the checkpoints signed before they
// named their ledger.
const LegacyOrigin = "go.sum database tree"

// Origin is the origin line of a ledger's checkpoints when none is
// configured: it names the ledger by the id of its subject key (see
// SubjectKeyID), which its replicas share and which reveals nothing.
func Origin(subjectKey []byte) string {
	return originPrefix + SubjectKeyID(subjectKey)
}

const originPrefix = "saiasat.ledger/"

// Checkpoint is a signed statement of the log's size and root hash.
type Checkpoint struct {
	Tree tlog.Tree
	// Note is the signed note: the checkpoint body, then the signature
	// lines.
	Note []byte
}

// Checkpointer signs the checkpoints of one ledger.
type Checkpointer struct {
	// Origin is the checkpoints' first line: the ledger's name.
	Origin string
	Signer note.Signer
}

// Sign signs the checkpoint of tree t.
func (c *Checkpointer) Sign(t tlog.Tree) (*Checkpoint, error) {
	body, err := FormatCheckpoint(c.Origin, t)
	if err != nil {
		return nil, err
	}
	msg, err := note.Sign(&note.Note{Text: string(body)}, c.Signer)
	if err != nil {
		return nil, fmt.Errorf("sign checkpoint: %w", err)
	}
	return &Checkpoint{Tree: t, Note: msg}, nil
}

// SignCheckpoint signs the tree of size n whose stored hashes r reads.
func (c *Checkpointer) SignCheckpoint(n int64, r tlog.HashReader) (*Checkpoint, error) {
	h, err := tlog.TreeHash(n, r)
	if err != nil {
		return nil, fmt.Errorf("tree hash of %d records: %w", n, err)
	}
	return c.Sign(tlog.Tree{N: n, Hash: h})
}

// FormatCheckpoint returns the body of the checkpoint of t.
func FormatCheckpoint(origin string, t tlog.Tree) ([]byte, error) {
	if origin == "" || strings.ContainsAny(origin, "\n") || !utf8Printable(origin) {
		return nil, fmt.Errorf("checkpoint origin %q: want one non-empty line", origin)
	}
	return fmt.Appendf(nil, "%s\n%d\n%s\n", origin, t.N, base64.StdEncoding.EncodeToString(t.Hash[:])), nil
}

func utf8Printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			return false
		}
	}
	return true
}

// ParseCheckpoint reads a checkpoint body: its origin and tree. Extension
// lines after the root hash are allowed, as the form says.
func ParseCheckpoint(body []byte) (origin string, t tlog.Tree, err error) {
	if !bytes.HasSuffix(body, []byte("\n")) {
		return "", t, errors.New("checkpoint: no final newline")
	}
	lines := strings.Split(string(body[:len(body)-1]), "\n")
	if len(lines) < 3 || lines[0] == "" {
		return "", t, errors.New("checkpoint: want an origin, a tree size and a root hash")
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return "", t, fmt.Errorf("checkpoint: tree size %q", lines[1])
	}
	h, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(h) != tlog.HashSize {
		return "", t, fmt.Errorf("checkpoint: root hash %q", lines[2])
	}
	for _, ext := range lines[3:] {
		if ext == "" {
			return "", t, errors.New("checkpoint: empty extension line")
		}
	}
	t.N = n
	copy(t.Hash[:], h)
	return lines[0], t, nil
}

// OpenCheckpoint verifies a signed checkpoint and returns its tree.
func OpenCheckpoint(msg []byte, verifier note.Verifier) (tlog.Tree, error) {
	_, t, err := OpenCheckpointOrigin(msg, verifier)
	return t, err
}

// OpenCheckpointOrigin verifies a signed checkpoint and returns its origin
// and tree.
func OpenCheckpointOrigin(msg []byte, verifier note.Verifier) (string, tlog.Tree, error) {
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return "", tlog.Tree{}, fmt.Errorf("checkpoint signature: %w", err)
	}
	return ParseCheckpoint([]byte(n.Text))
}
