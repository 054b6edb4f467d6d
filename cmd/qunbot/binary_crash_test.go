package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot/wecomtest"
	"github.com/qunbot/qunbot/store"
	"github.com/qunbot/qunbot/store/storetest"
)

var (
	builtOnce sync.Once
	builtPath string
	builtErr  error
)

// binary builds this command once per test run.
func binary(t *testing.T) string {
	t.Helper()
	builtOnce.Do(func() {
		dir, err := os.MkdirTemp("", "qunbot-bin-")
		if err != nil {
			builtErr = err
			return
		}
		builtPath = filepath.Join(dir, "qunbot")
		out, err := exec.Command("go", "build", "-o", builtPath, ".").CombinedOutput()
		if err != nil {
			builtErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if builtErr != nil {
		t.Fatal(builtErr)
	}
	return builtPath
}

// crashRun is one real qunbot process on a backend, killed with SIGKILL.
type crashRun struct {
	t    *testing.T
	bin  string
	env  []string
	addr string
	cmd  *exec.Cmd
}

func (r *crashRun) start() {
	r.t.Helper()
	r.addr = freeAddr(r.t)
	r.cmd = exec.Command(r.bin, "serve")
	r.cmd.Env = append(os.Environ(), append(r.env, "QUNBOT_ADDR="+r.addr)...)
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	waitHealthy(r.t, "http://"+r.addr)
}

func (r *crashRun) kill() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Kill() // SIGKILL: no shutdown, nothing flushed
		_ = r.cmd.Wait()
	}
}

// Killed with SIGKILL in the middle of a stream of check-ins and chat, then
// started again: every delivery that was acknowledged is recorded exactly
// once, and WeCom's retries of every delivery (acknowledged or not) leave
// each member with one check-in and one message point, the acknowledged ones
// answered as they were the first time.
func TestKillDuringLoadKeepsEveryAcknowledgedEffectOnce(t *testing.T) {
	bin := binary(t)
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			api := wecomtest.NewAPI()
			defer api.Close()
			run := randomID()
			r := &crashRun{t: t, bin: bin, env: []string{
				"QUNBOT_DATA_DIR=" + b.Options.DataDir, "QUNBOT_MYSQL_DSN=" + b.Options.MySQLDSN,
				"QUNBOT_REDIS_URL=" + b.Options.RedisURL, "QUNBOT_CONFIG=", "QUNBOT_LOG_LEVEL=error",
				"QUNBOT_AIBOT_TOKEN=" + binAIBotToken, "QUNBOT_AIBOT_AES_KEY=" + binAIBotKey,
				"QUNBOT_APP_TOKEN=" + binAppToken, "QUNBOT_APP_AES_KEY=" + binAppKey, "QUNBOT_CORP_ID=" + binCorpID,
				"QUNBOT_WECOM_API_BASE=" + api.URL(),
			}}
			r.start()
			defer r.kill()
			msgs := crashStream(run, 120)
			acked := r.send(msgs, 12, 100) // killed while deliveries are in flight
			r.kill()
			if len(acked) == 0 || len(acked) == len(msgs) {
				t.Fatalf("%d of %d deliveries acknowledged: the kill did not land during the load", len(acked), len(msgs))
			}
			t.Logf("%d of %d deliveries acknowledged before the kill", len(acked), len(msgs))
			s := openStore(t, b)
			checkAcknowledged(t, s, run, acked)
			s.Close()

			r.start()
			again := r.send(msgs, 12, 0) // WeCom's retries of everything
			for id, reply := range acked {
				if again[id] != reply {
					t.Errorf("%s answered %q after the restart, %q before", id, again[id], reply)
				}
			}
			r.kill()
			s = openStore(t, b)
			defer s.Close()
			checkAll(t, s, run, 120)
		})
	}
}

func randomID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// crashStream is n members each checking in and saying one thing, in the
// groups of run.
func crashStream(run string, n int) []streamMsg {
	var msgs []streamMsg
	for i := range n {
		chat, from := fmt.Sprintf("K%s-%d", run, i%4), fmt.Sprintf("m%d", i)
		msgs = append(msgs,
			streamMsg{fmt.Sprintf("%s-%d-c", run, i), chat, from, "签到"},
			streamMsg{fmt.Sprintf("%s-%d-s", run, i), chat, from, fmt.Sprintf("第%d位来报到", i)})
	}
	return msgs
}

// send delivers msgs from workers and returns the acknowledged replies by
// msgid; with killAfter > 0 the process is killed (SIGKILL) as soon as that
// many are answered, with the other workers' deliveries in flight.
func (r *crashRun) send(msgs []streamMsg, workers int, killAfter int) map[string]string {
	s := &wecomtest.Sender{Base: "http://" + r.addr, AIBot: wecomtest.Keys{Token: binAIBotToken, AESKey: binAIBotKey}}
	var mu sync.Mutex
	acked := map[string]string{}
	var n atomic.Int64
	work := make(chan streamMsg)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range work {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				rep, err := s.AIBotText(ctx, m.id, m.chat, m.from, m.text)
				cancel()
				if err != nil || rep.Status != 200 {
					continue // not acknowledged: WeCom would retry it
				}
				mu.Lock()
				acked[m.id] = rep.Text
				mu.Unlock()
				if n.Add(1) == int64(killAfter) {
					_ = r.cmd.Process.Kill()
				}
			}
		}()
	}
	for _, m := range msgs {
		work <- m
	}
	close(work)
	wg.Wait()
	return acked
}

func openStore(t *testing.T, b storetest.Backend) *store.Store {
	t.Helper()
	o := b.Options
	o.KeyPrefix = "" // the binary's own keys
	s, err := store.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkAcknowledged: every acknowledged check-in has its ledger row, once,
// and so has every acknowledged message that earned.
func checkAcknowledged(t *testing.T, s *store.Store, run string, acked map[string]string) {
	t.Helper()
	ctx := context.Background()
	for id, reply := range acked {
		if !strings.HasSuffix(id, "-c") || !strings.Contains(reply, "签到成功") {
			continue
		}
		var i int
		fmt.Sscanf(strings.TrimPrefix(id, run+"-"), "%d", &i)
		chat, from := fmt.Sprintf("K%s-%d", run, i%4), fmt.Sprintf("m%d", i)
		rows, err := s.Entries(ctx, chat, from, 10)
		if err != nil {
			t.Fatal(err)
		}
		checkins := 0
		for _, e := range rows {
			if e.Kind == "checkin" {
				checkins++
			}
		}
		if checkins != 1 {
			t.Errorf("%s acknowledged %q, but %s has %d check-in rows", id, reply, from, checkins)
		}
	}
	bad, err := s.LedgerMismatches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range bad {
		t.Errorf("after the kill: %s", m)
	}
}

// checkAll: after the retries every member has one check-in and one message
// point, and the member rows agree with the ledger.
func checkAll(t *testing.T, s *store.Store, run string, n int) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		chat, from := fmt.Sprintf("K%s-%d", run, i%4), fmt.Sprintf("m%d", i)
		bal, err := s.Balance(ctx, chat, from)
		if err != nil {
			t.Fatal(err)
		}
		if bal != 6 {
			t.Errorf("%s has %d points, want 6 (check-in 5, one message point)", from, bal)
		}
	}
	bad, err := s.LedgerMismatches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range bad {
		t.Errorf("after the retries: %s", m)
	}
}
