package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/saiasat/saiasat/internal/testtool"
)

// SIGKILL in the middle of concurrent consents on a PostgreSQL ledger (the
// database keeps running, as it would when the server's host dies): after a
// restart every consent that got a 201 is there, and the ledger
// verifies. TestServeCrash does the same on SQLite.
func TestServeCrashPostgres(t *testing.T) {
	bin := buildBinary(t)
	url, stop := testtool.Postgres(t)
	defer stop()
	policies, err := filepath.Abs("../../policies")
	if err != nil {
		t.Fatal(err)
	}
	serveDir = t.TempDir()
	defer func() { serveDir = "" }()
	crashAndRestart(t, bin, policies, url, 1500*time.Millisecond)
}

// crashAndRestart starts serve on the ledger db (a SQLite file or a
// PostgreSQL URL), has 8 clients post consents, kills the server with
// SIGKILL after wait, restarts it, and checks that every consent that got
// a 201 is there and that ledger verify passes.
func crashAndRestart(t *testing.T, bin, policies, db string, wait time.Duration) {
	t.Helper()
	base, cmd := startServeDB(t, bin, policies, db, false)
	text := currentText(t, base, "ru")
	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				body := fmt.Sprintf(`{"subject":"s-%d-%d","text_sha256":"%s","lang":"ru","accepted_at":"%s","channel":"web"}`, g, i, text, time.Now().UTC().Format(time.RFC3339))
				req, _ := http.NewRequest("POST", base+"/v1/consents", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer e2e-token")
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					return // the server is gone
				}
				var r struct{ ID string }
				json.NewDecoder(resp.Body).Decode(&r)
				resp.Body.Close()
				if resp.StatusCode == 201 {
					mu.Lock()
					acked = append(acked, r.ID)
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(wait)
	cmd.Process.Kill()
	cmd.Wait()
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no consent was acknowledged before the kill")
	}
	base, restarted := startServeDB(t, bin, policies, db, false)
	for _, id := range acked {
		req, _ := http.NewRequest("GET", base+"/v1/consents/"+id, nil)
		req.Header.Set("Authorization", "Bearer e2e-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("acknowledged consent %s: %d after the restart", id, resp.StatusCode)
		}
	}
	// A checkpoint over everything (a proof signs one), then verify the
	// ledger the crash left.
	proof(t, base, acked[len(acked)-1])
	restarted.Process.Signal(syscall.SIGTERM)
	restarted.Wait()
	verify := exec.Command(bin, "ledger", "verify", "--db", db)
	verify.Dir = serveDir
	if out, err := verify.CombinedOutput(); err != nil || !strings.Contains(string(out), "all verified") {
		t.Errorf("ledger verify: %v\n%s", err, out)
	}
	t.Logf("%d consents acknowledged before SIGKILL, all there after the restart", len(acked))
}
