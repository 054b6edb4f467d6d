package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// sat is a day of harnessStart's week in Shanghai at hh:mm.
func sat(day, hh, mm int) time.Time {
	return time.Date(2026, 11, day, hh, mm, 0, 0, harnessStart.Location())
}

// postsOf counts the webhook posts into G1 that mention every want.
func (h *harness) postsOf(want ...string) int {
	return len(h.callsMentioning("/cgi-bin/webhook/send", want...))
}

func TestE2EScheduleFiresOncePerDueTimeOnTwoReplicas(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		contains(t, h.say("G1", "owner1", `/schedule add "0 20 * * *" 今晚话题：{group} {date}`),
			"已添加定时消息 #1（0 20 * * *），下次发送：11月21日（周六）20:00")
		contains(t, h.say("G1", "bob", `/schedule add "0 9 * * *" 刷屏`), "无权限")
		contains(t, h.say("G1", "owner1", `/schedule add "0 25 * * *" 错`), "cron 表达式无法解析")
		contains(t, h.say("G1", "owner1", "/schedule list"), "#1 0 20 * * * · 下次11月21日（周六）20:00 · 今晚话题")
		b := h.replica()

		// both replicas' schedulers pass twice each, at once, at 20:00
		h.setNow(sat(21, 20, 0))
		var wg sync.WaitGroup
		for _, r := range []*harness{h, b, h, b} {
			wg.Add(1)
			go func() { defer wg.Done(); r.tick() }()
		}
		wg.Wait()
		h.flush()
		b.flush()
		h.advance(time.Minute)
		b.tick()
		h.flush()
		if n := h.postsOf("今晚话题：产品交流群 2026-11-21"); n != 1 {
			t.Fatalf("posts of the 20:00 run = %d, want 1:%s", n, bodies(h.api.CallsTo("/cgi-bin/webhook/send")))
		}
		h.setNow(sat(22, 20, 0))
		b.tick()
		h.tick()
		b.flush()
		if n := h.postsOf("今晚话题：产品交流群 2026-11-22"); n != 1 {
			t.Errorf("posts of the next day's run = %d, want 1", n)
		}

		status, body := h.get("/api/v1/groups/G1/schedules")
		var list struct{ Entries []map[string]any }
		if err := json.Unmarshal(body, &list); status != http.StatusOK || err != nil || len(list.Entries) != 1 ||
			list.Entries[0]["spec"] != "0 20 * * *" || list.Entries[0]["next_run"] != "2026-11-23T20:00:00+08:00" {
			t.Errorf("schedules API = %d %s", status, body)
		}
		contains(t, h.dm("owner1", "/in G1 /schedule del 1"), "已删除定时消息 #1")
		contains(t, h.say("G1", "owner1", "/schedule del 1"), "没有编号为1的定时消息")
		h.setNow(sat(23, 20, 0))
		h.tick()
		h.flush()
		if n := h.postsOf("今晚话题"); n != 2 {
			t.Errorf("a deleted schedule still posts: %d posts", n)
		}
	})
}

// logs collects the app's log lines from now on.
func (h *harness) logs() *bytes.Buffer {
	var buf bytes.Buffer
	var mu sync.Mutex
	h.app.log = slog.New(slog.NewTextHandler(&syncWriter{mu: &mu, w: &buf}, nil))
	return &buf
}

type syncWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func TestE2EMissedScheduleMadeUpOnceAtStart(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.say("G1", "owner1", `/schedule add "0 20 * * *" 晚间话题 {date}`)
		h.say("G1", "owner1", `/schedule add "0 * * * *" 整点报时 {date}`)
		h.tick() // 14:00: the scheduler's last pass before qunbot goes down

		// back up at 20:40: 20:00 was missed by 40 minutes, 15:00 to 19:00 by more
		h.setNow(sat(21, 20, 40))
		logs := h.logs()
		h.app.logSkipped(context.Background())
		h.tick()
		h.tick()
		h.flush()
		if n := h.postsOf("晚间话题 2026-11-21"); n != 1 {
			t.Errorf("the missed 20:00 post was made up %d times, want once", n)
		}
		if n := h.postsOf("整点报时"); n != 1 {
			t.Errorf("hourly posts made up = %d, want only the latest (20:00)", n)
		}
		if got := logs.String(); !containsAll(got, "scheduled runs skipped", "job=schedule", "runs=5") {
			t.Errorf("skip log = %q, want the 15:00 to 19:00 hourly runs", got)
		}

		// down again until 21:30 the next day: the 20:00 post is 90 minutes late
		h.setNow(sat(22, 21, 30))
		logs = h.logs()
		h.app.logSkipped(context.Background())
		h.tick()
		h.flush()
		if n := h.postsOf("晚间话题 2026-11-22"); n != 0 {
			t.Errorf("a post missed by over an hour was made up %d times", n)
		}
		if n := h.postsOf("整点报时 2026-11-22"); n != 1 {
			t.Errorf("hourly posts on the 22nd = %d, want the 21:00 one only", n)
		}
		if got := logs.String(); strings.Count(got, "job=schedule") != 2 || !strings.Contains(got, "runs=1 ") {
			t.Errorf("skip log = %q, want the daily post (1 run) and the hourly runs", got)
		}
	})
}
