package main

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/qunbot/qunbot/store/storetest"
)

// TestBenchFloorWritesEachDeliveryOnce runs the load against the floor on
// each backend: every callback is answered, its delivery row is written
// once (a replay breaks the key and is answered 503), a callback that does
// not verify is answered 400, and the floor drops its table when it stops.
func TestBenchFloorWritesEachDeliveryOnce(t *testing.T) {
	const token, key = "floortoken", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			env := map[string]string{"QUNBOT_DATA_DIR": t.TempDir(), "QUNBOT_MYSQL_DSN": b.Options.MySQLDSN,
				"QUNBOT_REDIS_URL": b.Options.RedisURL, "QUNBOT_AIBOT_TOKEN": token, "QUNBOT_AIBOT_AES_KEY": key}
			addr, err := freeLoopbackAddr()
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stopped := make(chan error, 1)
			go func() { stopped <- benchFloor(ctx, []string{addr}, func(k string) string { return env[k] }) }()
			waitFloor(t, "http://"+addr, stopped)

			spec := benchSpec("http://"+addr+"/wecom/aibot", mustCrypto(t, token, key))
			spec.Now = time.Now
			if r := runLoad(ctx, spec); r.Requests != 200 || r.failed() != 0 {
				t.Fatalf("requests %d, errors %v; want 200, none", r.Requests, r.Errors)
			}
			db := openFloorForCount(t, env)
			if n := countFloorRows(db); n != 200 {
				t.Errorf("%d delivery rows, want 200", n)
			}

			w := &worker{spec: &spec, rng: rand.New(rand.NewPCG(1, 2))}
			if code := floorStatus(t, w, 1, false); code != http.StatusServiceUnavailable {
				t.Errorf("a replayed delivery: status %d, want 503 (its row is there)", code)
			}
			if code := floorStatus(t, w, 1000, true); code != http.StatusBadRequest {
				t.Errorf("a bad signature: status %d, want 400", code)
			}
			if n := countFloorRows(db); n != 200 {
				t.Errorf("%d delivery rows after the replay, want 200", n)
			}

			cancel()
			if err := <-stopped; err != nil {
				t.Fatalf("bench-floor: %v", err)
			}
			if n := countFloorRows(db); n != -1 {
				t.Errorf("the floor's table is still there after it stopped (%d rows)", n)
			}
		})
	}
}

func waitFloor(t *testing.T, url string, stopped <-chan error) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-stopped:
			t.Fatalf("bench-floor stopped: %v", err)
		default:
		}
		if resp, err := http.Get(url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
	}
	t.Fatal("bench-floor not ready within 30 s")
}

// floorStatus sends callback n (of kind chat, from member 0), with a wrong
// signature when badSignature is set, and returns the status.
func floorStatus(t *testing.T, w *worker, n int64, badSignature bool) int {
	t.Helper()
	req, err := w.request(context.Background(), n, kindChat, 0)
	if err != nil {
		t.Fatal(err)
	}
	if badSignature {
		q := req.URL.Query()
		q.Set("msg_signature", "0")
		req.URL.RawQuery = q.Encode()
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func openFloorForCount(t *testing.T, env map[string]string) *sql.DB {
	t.Helper()
	driver, source := "sqlite", filepath.Join(env["QUNBOT_DATA_DIR"], "floor.db")
	if dsn := env["QUNBOT_MYSQL_DSN"]; dsn != "" {
		driver, source = "mysql", dsn
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// countFloorRows is the floor table's row count; -1 when there is no table.
func countFloorRows(db *sql.DB) int {
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM " + floorTable).Scan(&n); err != nil {
		return -1
	}
	return n
}
