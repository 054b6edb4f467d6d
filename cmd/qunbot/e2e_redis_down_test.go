package main

import (
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// TestRedisDownLosesNoPoints stops Redis in the middle of a run: callbacks
// still answer from the database alone, points are still credited exactly
// once, and the leaderboards come back from the ledger when Redis does.
func TestRedisDownLosesNoPoints(t *testing.T) {
	mr := miniredis.RunT(t)
	eachBackend(t, func(t *testing.T, h *harness) {
		mr.FlushAll()
		redisDownRun(t, h, mr)
	}, withYAML(engageYAML), withEnv("QUNBOT_REDIS_URL", "redis://"+mr.Addr()))
}

func redisDownRun(t *testing.T, h *harness, mr *miniredis.Miniredis) {
	contains(t, h.say("G1", "alice", "签到"), "+5", "当前积分5")
	h.say("G1", "bob", "大家好")

	mr.Close() // Redis goes away mid-run
	if status, body := h.get("/readyz"); status != 503 || !strings.Contains(string(body), "redis: unreachable") ||
		strings.Contains(string(body), "store:") {
		t.Errorf("/readyz with Redis down = %d %q, want 503 saying redis: unreachable", status, body)
	}

	contains(t, h.say("G1", "bob", "签到"), "+5")
	first := h.sayID("down-1", "G1", "alice", "今天天气不错")
	if again := h.sayID("down-1", "G1", "alice", "今天天气不错"); again != first {
		t.Errorf("redelivery with Redis down = %q, want %q", again, first)
	}
	contains(t, h.say("G1", "alice", "积分"), "6")
	contains(t, h.say("G1", "alice", "排行"), "alice")
	contains(t, h.say("G1", "alice", "商城"), "贴纸")
	if got, want := h.pointsOf("G1", "alice"), 6; got != want {
		t.Errorf("alice's points with Redis down = %d, want %d", got, want)
	}
	if got, want := h.pointsOf("G1", "bob"), 6; got != want {
		t.Errorf("bob's points with Redis down = %d, want %d", got, want)
	}

	if err := mr.Restart(); err != nil {
		t.Fatal(err)
	}
	mr.FlushAll() // it came back empty
	h.advance(time.Minute)
	top := h.say("G1", "carol", "排行")
	contains(t, top, "alice", "bob")
}
