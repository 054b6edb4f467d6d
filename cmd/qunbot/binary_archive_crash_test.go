package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot/archive"
	"github.com/qunbot/qunbot/bot/wecomtest"
	"github.com/qunbot/qunbot/store"
	"github.com/qunbot/qunbot/store/storetest"
)

// archiveCrash is the backlog of the crash test: members of four groups
// each saying archiveCrashSaid things a minute apart, every fourth member's
// fifth being a contact card (a violation).
const (
	archiveCrashMembers = 80
	archiveCrashSaid    = 20 // the daily cap's worth: every message earns
)

// Killed with SIGKILL in the middle of a batch of archive records, started
// again and killed in the middle of the next batch, then started again: the
// ledger and the modlog are exactly what one clean pass makes, every message
// credited once and every violation warned once.
func TestKillDuringArchivePullLeavesOneCleanPass(t *testing.T) {
	bin := binary(t)
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			run := randomID()
			dir := t.TempDir()
			env := map[string]string{}
			fake := fakeArchive(t, dir, env)
			fillArchiveBacklog(t, fake, run)
			srv := httptest.NewServer(fake.Handler())
			defer srv.Close()
			r := &crashRun{t: t, bin: bin, env: []string{
				"QUNBOT_DATA_DIR=" + b.Options.DataDir, "QUNBOT_MYSQL_DSN=" + b.Options.MySQLDSN,
				"QUNBOT_REDIS_URL=" + b.Options.RedisURL, "QUNBOT_CONFIG=", "QUNBOT_LOG_LEVEL=error",
				"QUNBOT_ARCHIVE_SECRET=" + env["QUNBOT_ARCHIVE_SECRET"],
				"QUNBOT_ARCHIVE_PRIVATE_KEY_FILE=" + env["QUNBOT_ARCHIVE_PRIVATE_KEY_FILE"],
				"QUNBOT_ARCHIVE_FAKE_URL=" + srv.URL, "QUNBOT_ARCHIVE_POLL=1s",
			}}
			total := archiveCrashMembers * archiveCrashSaid
			r.start() // it pulls at start
			defer r.kill()
			handled := r.waitMetric(`qunbot_archive_records_total{outcome="handled"}`, 200)
			r.kill()
			if handled >= float64(total) {
				t.Fatalf("%v of %d records handled before the kill: it did not land mid-pull", handled, total)
			}
			s := openStore(t, b)
			cursor, err := s.ArchiveCursor(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("killed after %v records handled, cursor at %d", handled, cursor)
			checkArchiveRun(t, s, run, false) // nothing twice, and nothing past the cursor lost
			s.Close()

			r.start() // the first batch again, from the cursor
			r.waitMetric("qunbot_archive_seq", archive.MaxBatch)
			r.kill()
			s = openStore(t, b)
			if cursor, err = s.ArchiveCursor(context.Background()); err != nil || cursor < archive.MaxBatch || cursor == int64(total) {
				t.Fatalf("cursor %d (%v) after the second kill: want past the first batch, not at the end", cursor, err)
			}
			t.Logf("killed again with the cursor at %d", cursor)
			checkArchiveRun(t, s, run, false)
			s.Close()

			r.start()
			r.waitMetric("qunbot_archive_seq", float64(total))
			r.kill()
			s = openStore(t, b)
			defer s.Close()
			checkArchiveRun(t, s, run, true)
		})
	}
}

// fillArchiveBacklog archives the test's messages, a minute apart per member
// (past the message-points cooldown), in a past hour.
func fillArchiveBacklog(t *testing.T, f *archive.Fake, run string) {
	t.Helper()
	base := time.Now().Add(-2 * time.Hour)
	for j := range archiveCrashSaid {
		at := base.Add(time.Duration(j) * 61 * time.Second)
		for i := range archiveCrashMembers {
			chat, from := fmt.Sprintf("A%s-%d", run, i%4), fmt.Sprintf("m%d", i)
			var err error
			if archiveViolator(i) && j == 4 {
				_, err = f.Add(func(id string) any {
					return map[string]any{"msgid": id, "action": "send", "from": from, "roomid": chat,
						"msgtime": at.UnixMilli(), "msgtype": "card", "card": map[string]string{"corpname": "外部公司", "userid": "x"}}
				})
			} else {
				_, err = f.Say(archive.Text{ChatID: chat, From: from, Text: fmt.Sprintf("第%d句，来自%s", j, from), At: at})
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

func archiveViolator(i int) bool { return i%5 == 0 }

// checkArchiveRun: no member has more than one clean pass gives them (one
// point a message, a warning for a card), the ledger agrees with the member
// rows, and with complete, every member has exactly that.
func checkArchiveRun(t *testing.T, s *store.Store, run string, complete bool) {
	t.Helper()
	ctx := context.Background()
	for i := range archiveCrashMembers {
		chat, from := fmt.Sprintf("A%s-%d", run, i%4), fmt.Sprintf("m%d", i)
		want, wantWarns := archiveCrashSaid, 0
		if archiveViolator(i) {
			want, wantWarns = archiveCrashSaid-1, 1
		}
		entries, err := s.Entries(ctx, chat, from, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) > want || (complete && len(entries) != want) {
			t.Errorf("%s has %d ledger rows, want %d", from, len(entries), want)
		}
		mod, err := s.ModlogEntries(ctx, chat, 500)
		if err != nil {
			t.Fatal(err)
		}
		warns := 0
		for _, e := range mod {
			if e.Target == from {
				warns++
				if e.Action != "warn" {
					t.Errorf("%s: modlog %s, want only a warning", from, e.Action)
				}
			}
		}
		if warns > wantWarns || (complete && warns != wantWarns) {
			t.Errorf("%s has %d modlog rows, want %d", from, warns, wantWarns)
		}
	}
	bad, err := s.LedgerMismatches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range bad {
		t.Errorf("ledger: %s", m)
	}
}

// waitMetric polls /metrics until the sample named reaches at least want,
// and returns it.
func (r *crashRun) waitMetric(sample string, want float64) float64 {
	r.t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if v, ok := metricValue("http://"+r.addr+"/metrics", sample); ok && v >= want {
			return v
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.t.Fatalf("%s did not reach %v within 90s", sample, want)
	return 0
}

func metricValue(url, sample string) (float64, bool) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), sample+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return v, err == nil
		}
	}
	return 0, false
}

// msgaudit_notify, delivered to the app callback of a running qunbot whose
// safety-net timer is an hour away, makes it pull at once.
func TestArchiveNotifyWakesThePuller(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	env := map[string]string{}
	fake := fakeArchive(t, dir, env)
	say := func(text string) {
		if _, err := fake.Say(archive.Text{ChatID: "G1", From: "alice", Text: text, At: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	say("早上好")
	srv := httptest.NewServer(fake.Handler())
	defer srv.Close()
	r := &crashRun{t: t, bin: bin, env: []string{
		"QUNBOT_DATA_DIR=" + dir, "QUNBOT_CONFIG=", "QUNBOT_LOG_LEVEL=error",
		"QUNBOT_APP_TOKEN=" + binAppToken, "QUNBOT_APP_AES_KEY=" + binAppKey, "QUNBOT_CORP_ID=" + binCorpID,
		"QUNBOT_ARCHIVE_SECRET=" + env["QUNBOT_ARCHIVE_SECRET"],
		"QUNBOT_ARCHIVE_PRIVATE_KEY_FILE=" + env["QUNBOT_ARCHIVE_PRIVATE_KEY_FILE"],
		"QUNBOT_ARCHIVE_FAKE_URL=" + srv.URL, "QUNBOT_ARCHIVE_POLL=1h",
	}}
	r.start()
	defer r.kill()
	r.waitMetric("qunbot_archive_seq", 1) // the pull at start
	say("今天开会吗")
	say("几点？")
	s := &wecomtest.Sender{Base: "http://" + r.addr, App: wecomtest.Keys{Token: binAppToken, AESKey: binAppKey, ReceiveID: binCorpID}}
	rep, err := s.AppArchiveNotify(context.Background(), time.Now())
	if err != nil || rep.Status != http.StatusOK {
		t.Fatalf("msgaudit_notify: %+v %v", rep, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if v, _ := metricValue("http://"+r.addr+"/metrics", "qunbot_archive_seq"); v == 3 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the records archived after start were not pulled within 10 s of msgaudit_notify")
}
