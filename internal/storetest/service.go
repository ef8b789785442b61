package storetest

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/ledger"
	"golang.org/x/mod/sumdb/note"
)

// Texts of the service tests: two approved Kazakh texts in force.
const (
	text1 = "sha256:07b8f57c29d70afe036e148f8b138c98c0e754d8875491fea51d2b6af07498c3"
	text2 = "sha256:2b1c3f8e0a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7"
)

// fixedTexts answers the status of a fixed set of texts, as the server
// answers from its releases.
type fixedTexts map[saiasat.Hash]ledger.TextStatus

func (f fixedTexts) Status(h saiasat.Hash, _ time.Time) ledger.TextStatus { return f[h] }

// service is a consent service on s, with fresh keys bound to the store.
type service struct {
	*ledger.Service
	vkey string
}

func newService(t *testing.T, s ledger.Store) *service {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, "storetest")
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := note.NewSigner(skey)
	verifier, _ := note.NewVerifier(vkey)
	inForce := ledger.TextStatus{Approved: true, Lang: "kk", InForce: true, Started: true}
	svc := &ledger.Service{Store: s, Signer: signer, Verifier: verifier,
		Texts:      fixedTexts{text1: inForce, text2: inForce},
		SubjectKey: []byte("the storetest subject key, 32 b+"), Now: time.Now}
	if err := ledger.BindKeys(context.Background(), s, svc.SubjectKey, vkey); err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &service{svc, vkey}
}

func request(subject, client, text string) ledger.ConsentRequest {
	return ledger.ConsentRequest{Subject: subject, TextSHA256: text, Lang: "kk", Channel: "web",
		AcceptedAt: time.Now().UTC().Format(time.RFC3339Nano), Client: client}
}

func (s *service) consent(t *testing.T, req ledger.ConsentRequest) *ledger.Record {
	t.Helper()
	got, err := s.Consent(context.Background(), req)
	if err != nil {
		t.Fatalf("consent of %q by %q: %v", req.Subject, req.Client, err)
	}
	return got.Record
}

// snapshotReport verifies the store as ledger verify does.
func (s *service) report(t *testing.T) ledger.Report {
	t.Helper()
	snap, err := s.Store.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ledger.VerifySnapshot(snap, s.vkey, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func code(err error) string { return ledger.ErrorCode(err) }

var (
	a, b    = ledger.Caller{Client: "a"}, ledger.Caller{Client: "b"}
	all     = ledger.Caller{ReadAll: true}
	nobody  = ledger.Caller{}
	isText1 = func(r *ledger.Record) bool { return r.TextSHA256 == text1 }
	isText2 = func(r *ledger.Record) bool { return r.TextSHA256 == text2 }
	either  = func(r *ledger.Record) bool { return true }
)

func runService(t *testing.T, bk Backend) {
	ctx := context.Background()
	t.Run("service: clients, pages, withdrawals by index, latest consent", func(t *testing.T) {
		st, _ := bk.Open(t)
		defer st.Close()
		s := newService(t, st)
		var mine []*ledger.Record
		for range 250 {
			mine = append(mine, s.consent(t, request("alice", "a", text1)))
		}
		for range 5 {
			s.consent(t, request("alice", "b", text1))
		}
		// A record of before clients: no client in its leaf.
		legacy := &ledger.Record{ID: strings.Repeat("0", 31) + "1", Kind: ledger.KindConsent, Subject: ledger.SubjectMAC(s.SubjectKey, "alice"),
			TextSHA256: text1, Lang: "kk", AcceptedAt: "2026-11-25T12:00:00Z", Channel: "web", RecordedAt: "2026-11-25T12:00:01Z"}
		if err := st.Append(ctx, legacy); err != nil {
			t.Fatal(err)
		}
		if _, leaf, _ := st.Record(ctx, mine[0].ID); !strings.Contains(string(leaf), `"client":"a"`) {
			t.Errorf("the client is not in the leaf: %s", leaf)
		}
		list := func(c ledger.Caller, limit int) (ids []string) {
			t.Helper()
			cursor := ""
			for {
				es, next, err := s.Subject(ctx, c, "alice", ledger.Page{Cursor: cursor, Limit: limit})
				if err != nil {
					t.Fatal(err)
				}
				if want := min(limit, 1000); limit != 0 && len(es) > want || limit == 0 && len(es) > ledger.DefaultLimit {
					t.Fatalf("a page of %d entries with limit %d", len(es), limit)
				}
				for _, e := range es {
					ids = append(ids, e.Consent.ID)
				}
				if next == "" {
					return ids
				}
				cursor = next
			}
		}
		for _, c := range []struct {
			caller ledger.Caller
			limit  int
			want   int
		}{{a, 0, 250}, {a, 7, 250}, {a, 1000, 250}, {b, 0, 5}, {all, 0, 256}, {all, 3, 256}, {nobody, 0, 0}} {
			if got := list(c.caller, c.limit); len(got) != c.want {
				t.Errorf("%+v, limit %d: %d consents listed, want %d", c.caller, c.limit, len(got), c.want)
			} else if c.caller == a && strings.Join(got, ",") != strings.Join(ids(mine), ",") {
				t.Errorf("client a's listing is not its consents in order")
			}
		}
		for _, p := range []ledger.Page{{Limit: 1001}, {Limit: -1}, {Cursor: "!!"}, {Cursor: "AAAA"}} {
			if _, _, err := s.Subject(ctx, a, "alice", p); code(err) != ledger.CodeInvalid {
				t.Errorf("page %+v: %v, want invalid", p, err)
			}
		}
		// Reads and withdrawals of another client's records are 404s.
		theirs, _, _ := s.Subject(ctx, b, "alice", ledger.Page{})
		if _, err := s.Get(ctx, a, theirs[0].Consent.ID); code(err) != ledger.CodeNotFound {
			t.Errorf("a reads b's consent: %v", err)
		}
		if _, err := s.Withdraw(ctx, a, theirs[0].Consent.ID); code(err) != ledger.CodeNotFound {
			t.Errorf("a withdraws b's consent: %v", err)
		}
		if _, err := s.Proof(ctx, a, theirs[0].Consent.ID); code(err) != ledger.CodeNotFound {
			t.Errorf("a proves b's consent: %v", err)
		}
		for _, c := range []ledger.Caller{a, b, nobody} {
			if _, err := s.Get(ctx, c, legacy.ID); code(err) != ledger.CodeNotFound {
				t.Errorf("%+v reads a record of before clients: %v", c, err)
			}
		}
		if r, err := s.Get(ctx, all, legacy.ID); err != nil || r.ID != legacy.ID {
			t.Errorf("read-all reads a record of before clients: %v", err)
		}
		// Withdrawal: found by the unique index, once.
		w, err := s.Withdraw(ctx, a, mine[10].ID)
		if err != nil || w.Client != "a" || w.Consent != mine[10].ID {
			t.Fatalf("withdraw: %+v, %v", w, err)
		}
		if _, err := s.Withdraw(ctx, a, mine[10].ID); code(err) != ledger.CodeConflict {
			t.Errorf("second withdrawal: %v, want conflict", err)
		}
		es, _, _ := s.Subject(ctx, a, "alice", ledger.Page{Limit: 11})
		if es[10].Withdrawal == nil || es[10].Withdrawal.ID != w.ID || es[9].Withdrawal != nil {
			t.Errorf("the listing does not carry the withdrawal with its consent")
		}
		if _, err := s.Get(ctx, a, w.ID); err != nil {
			t.Errorf("a reads its withdrawal: %v", err)
		}
		if _, err := s.Get(ctx, b, w.ID); code(err) != ledger.CodeNotFound {
			t.Errorf("b reads a's withdrawal: %v", err)
		}
		// Ids that cannot be ids: not found, without asking the store.
		for _, id := range []string{"\x00", "%00", "\xff", "zz", mine[0].ID[:31], strings.ToUpper(mine[0].ID), mine[0].ID + "0"} {
			for name, f := range map[string]func() error{
				"get":      func() error { _, err := s.Get(ctx, all, id); return err },
				"proof":    func() error { _, err := s.Proof(ctx, all, id); return err },
				"withdraw": func() error { _, err := s.Withdraw(ctx, all, id); return err },
			} {
				if err := f(); code(err) != ledger.CodeNotFound {
					t.Errorf("%s %q: %v, want not found", name, id, err)
				}
			}
		}
		// The latest unwithdrawn consent to texts the match accepts.
		latest := func(c ledger.Caller, match func(*ledger.Record) bool) string {
			t.Helper()
			r, err := s.LatestConsent(ctx, c, "alice", match)
			if err != nil {
				t.Fatal(err)
			}
			if r == nil {
				return ""
			}
			return r.ID
		}
		if got := latest(a, isText2); got != "" {
			t.Errorf("latest of text 2: %s, want none", got)
		}
		c2 := s.consent(t, request("alice", "a", text2))
		if got := latest(a, either); got != c2.ID {
			t.Errorf("latest: %s, want %s", got, c2.ID)
		}
		if _, err := s.Withdraw(ctx, a, c2.ID); err != nil {
			t.Fatal(err)
		}
		if got := latest(a, either); got != mine[249].ID {
			t.Errorf("latest after withdrawing the newest: %s, want %s", got, mine[249].ID)
		}
		// 150 withdrawn consents newer than the one that answers: the
		// search pages past them.
		for _, r := range mine[100:] {
			if _, err := s.Withdraw(ctx, a, r.ID); err != nil && code(err) != ledger.CodeConflict {
				t.Fatal(err)
			}
		}
		if got := latest(a, isText1); got != mine[99].ID {
			t.Errorf("latest past 150 withdrawn: %s, want %s", got, mine[99].ID)
		}
		if got := latest(b, isText1); got != theirs[4].Consent.ID {
			t.Errorf("b's latest: %s, want its own newest %s", got, theirs[4].Consent.ID)
		}
		// All clients' consents, newest first, merged: the record of
		// before clients is the newest unwithdrawn one.
		if got := latest(all, isText1); got != legacy.ID {
			t.Errorf("the latest of all clients: %s, want %s", got, legacy.ID)
		}
		if got := latest(nobody, either); got != "" {
			t.Errorf("a caller without client has a latest consent: %s", got)
		}
		// Idempotency keys are per client.
		req := request("alice", "a", text1)
		req.IdempotencyKey = "retry-1"
		first := s.consent(t, req)
		again, err := s.Consent(ctx, req)
		if err != nil || !again.Replayed || again.Record.ID != first.ID {
			t.Errorf("a's retry: %+v, %v; want a replay of %s", again, err, first.ID)
		}
		req.Client = "b"
		other, err := s.Consent(ctx, req)
		if err != nil || other.Replayed || other.Record.ID == first.ID {
			t.Errorf("b with a's key: %+v, %v; want a record of its own", other, err)
		}
		// Proofs against a C2SP checkpoint naming the ledger.
		p, err := s.Proof(ctx, a, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		origin, tree, err := ledger.OpenCheckpointOrigin([]byte(p.Checkpoint), s.Verifier)
		if err != nil || origin != ledger.Origin(s.SubjectKey) || !strings.HasPrefix(p.Checkpoint, origin+"\n") {
			t.Errorf("checkpoint %q: origin %q, %v", p.Checkpoint, origin, err)
		}
		_, leaf, _ := st.Record(ctx, first.ID)
		if err := ledger.CheckProof(p.Proof, tree, p.Index, leaf); err != nil {
			t.Errorf("proof: %v", err)
		}
		if rep := s.report(t); len(rep.Problems) != 0 {
			t.Errorf("verify: %v", rep.Problems)
		}
	})
	t.Run("service: subjects and evidence", func(t *testing.T) {
		st, _ := bk.Open(t)
		defer st.Close()
		s := newService(t, st)
		nfc := s.consent(t, request("Jos\u00e9", "a", text1))
		es, _, err := s.Subject(ctx, a, "Jose\u0301", ledger.Page{})
		if err != nil || len(es) != 1 || es[0].Consent.ID != nfc.ID {
			t.Errorf("José in NFD lists %d consents (%v), want the one posted in NFC", len(es), err)
		}
		for _, subject := range []string{"\xff\xfe-ALICE", "", " \t", "\u200b", "\u200d\u2060\ufeff", "\u3164", strings.Repeat("x", 257)} {
			if _, err := s.Consent(ctx, request(subject, "a", text1)); code(err) != ledger.CodeInvalid {
				t.Errorf("consent of subject %q: %v, want invalid", subject, err)
			}
			if _, _, err := s.Subject(ctx, a, subject, ledger.Page{}); code(err) != ledger.CodeInvalid {
				t.Errorf("listing of subject %q: %v, want invalid", subject, err)
			}
			if _, err := s.LatestConsent(ctx, a, subject, either); code(err) != ledger.CodeInvalid {
				t.Errorf("latest consent of subject %q: %v, want invalid", subject, err)
			}
		}
		req := request("bob", "a", text1)
		req.Evidence = []byte("{\"ua\":\"\xff\"}")
		if _, err := s.Consent(ctx, req); code(err) != ledger.CodeInvalid {
			t.Errorf("evidence with invalid UTF-8: %v, want invalid", err)
		}
	})
	t.Run("service: 64 clients appending, proving, listing, reading checkpoints", func(t *testing.T) {
		st, _ := bk.Open(t)
		defer st.Close()
		s := newService(t, st)
		// 64 goroutines × 30 consents, a withdrawal every 10th, a proof
		// (checked) every 3rd, a listing every 4th, a checkpoint read
		// every 4th: a fixed count, zero errors.
		const clients, each = 64, 30
		acked := make([][]*ledger.Record, clients)
		var proofs atomic.Int64
		errs := testtool.Parallel(clients, func(g int) error {
			c := ledger.Caller{Client: fmt.Sprint("client-", g%4)}
			subject := fmt.Sprint("subject-", g%16)
			for i := range each {
				got, err := s.Consent(ctx, request(subject, c.Client, text1))
				if err != nil {
					return fmt.Errorf("consent %d: %w", i, err)
				}
				acked[g] = append(acked[g], got.Record)
				if i%10 == 9 {
					w, err := s.Withdraw(ctx, c, got.Record.ID)
					if err != nil {
						return fmt.Errorf("withdrawal %d: %w", i, err)
					}
					acked[g] = append(acked[g], w)
				}
				if i%3 == 0 {
					p, err := s.Proof(ctx, c, got.Record.ID)
					if err != nil {
						return fmt.Errorf("proof %d: %w", i, err)
					}
					tree, err := ledger.OpenCheckpoint([]byte(p.Checkpoint), s.Verifier)
					if err != nil {
						return fmt.Errorf("proof %d: %w", i, err)
					}
					leaf, _ := got.Record.Leaf()
					if err := ledger.CheckProof(p.Proof, tree, got.Record.Index, leaf); err != nil {
						return fmt.Errorf("proof %d does not verify: %w", i, err)
					}
					proofs.Add(1)
				}
				if i%4 == 1 {
					if _, _, err := s.Subject(ctx, c, subject, ledger.Page{Limit: 10}); err != nil {
						return fmt.Errorf("listing %d: %w", i, err)
					}
				}
				if i%4 == 2 {
					if _, err := s.LatestCheckpoint(ctx); err != nil {
						return fmt.Errorf("checkpoint %d: %w", i, err)
					}
				}
			}
			return nil
		})
		for g, err := range errs {
			if err != nil {
				t.Errorf("client %d: %v", g, err)
			}
		}
		const total = clients * (each + each/10)
		if n, _ := st.Size(ctx); n != total {
			t.Errorf("%d records, want %d", n, total)
		}
		// Every acknowledged record is there, byte for byte, and in its
		// subject's listing with its withdrawal.
		listed := map[string]string{} // consent id -> withdrawal id
		for k := range 16 {
			cursor := ""
			for {
				es, next, err := s.Subject(ctx, all, fmt.Sprint("subject-", k), ledger.Page{Cursor: cursor, Limit: 1000})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range es {
					listed[e.Consent.ID] = ""
					if e.Withdrawal != nil {
						listed[e.Consent.ID] = e.Withdrawal.ID
					}
				}
				if cursor = next; next == "" {
					break
				}
			}
		}
		found := 0
		for g := range clients {
			for _, r := range acked[g] {
				got, err := s.Get(ctx, all, r.ID)
				want, _ := r.Leaf()
				have, _ := got.Leaf()
				if err != nil || string(have) != string(want) {
					t.Errorf("acknowledged record %d: %v\n got %s\nwant %s", r.Index, err, have, want)
					continue
				}
				_, ok := listed[r.ID]
				if r.Kind == ledger.KindWithdrawal {
					ok = listed[r.Consent] == r.ID
				}
				if !ok {
					t.Errorf("acknowledged record %d (%s) is not in its subject's listing", r.Index, r.Kind)
					continue
				}
				found++
			}
		}
		if found != total {
			t.Errorf("%d of %d acknowledged records found", found, total)
		}
		// Proofs and checkpoint reads write nothing.
		before := s.report(t)
		for range 20 {
			es, _, _ := s.Subject(ctx, all, "subject-3", ledger.Page{Limit: 1})
			if _, err := s.Proof(ctx, all, es[0].Consent.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.LatestCheckpoint(ctx); err != nil {
				t.Fatal(err)
			}
		}
		after := s.report(t)
		if len(after.Problems) != 0 || after.Covered != total {
			t.Errorf("verify: %v, covered %d of %d", after.Problems, after.Covered, total)
		}
		if after.Checkpoints != before.Checkpoints {
			t.Errorf("proofs and checkpoint reads wrote %d checkpoints", after.Checkpoints-before.Checkpoints)
		}
		t.Logf("%d records, %d proofs (verified), %d checkpoints", total, proofs.Load(), after.Checkpoints)
	})
}

func ids(rs []*ledger.Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}
