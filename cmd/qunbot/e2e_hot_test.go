package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// streamMsg is one message of a concurrent stream.
type streamMsg struct{ id, chat, from, text string }

// stream sends msgs from workers at once, each msgid as often as it appears,
// and returns the replies by msgid. A delivery answered anything but 200, or
// two deliveries of one msgid answered differently, fail the test.
func (h *harness) stream(msgs []streamMsg, workers int) map[string]string {
	h.t.Helper()
	work := make(chan streamMsg)
	var mu sync.Mutex
	replies := map[string]string{}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range work {
				r, err := h.send.AIBotText(context.Background(), m.id, m.chat, m.from, m.text)
				if err != nil || r.Status != 200 {
					h.t.Errorf("%s %q from %s: %+v %v", m.id, m.text, m.from, r, err)
					continue
				}
				mu.Lock()
				if prev, ok := replies[m.id]; ok && prev != r.Text {
					h.t.Errorf("%s answered %q and %q", m.id, prev, r.Text)
				}
				replies[m.id] = r.Text
				mu.Unlock()
			}
		}()
	}
	for _, m := range msgs {
		work <- m
	}
	close(work)
	wg.Wait()
	return replies
}

// checkLedger fails the test when a member row's kept balance disagrees
// with their ledger rows.
func (h *harness) checkLedger() {
	h.t.Helper()
	bad, err := h.app.store.LedgerMismatches(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	for _, b := range bad {
		h.t.Errorf("ledger and member row disagree: %s", b)
	}
}

// memberStream is every member of n in groups G1..G4 checking in, saying
// three things and asking for their points, each message delivered twice,
// shuffled.
func memberStream(prefix string, n int) []streamMsg {
	var msgs []streamMsg
	for i := range n {
		chat, from := fmt.Sprintf("G%d", i%4+1), fmt.Sprintf("%s%d", prefix, i)
		for j, text := range []string{"签到", "大家好", "今天的会几点开始", "好的，收到", "积分"} {
			m := streamMsg{fmt.Sprintf("%s-%d-%d", prefix, i, j), chat, from, text}
			msgs = append(msgs, m, m)
		}
	}
	rand.Shuffle(len(msgs), func(i, j int) { msgs[i], msgs[j] = msgs[j], msgs[i] })
	return msgs
}

// checkStream checks what memberStream's members got: one check-in each,
// one message point (the clock stands still, so the cooldown lets one
// through), and a balance of 6 everywhere.
func (h *harness) checkStream(prefix string, n int, replies map[string]string) {
	h.t.Helper()
	for i := range n {
		chat, from := fmt.Sprintf("G%d", i%4+1), fmt.Sprintf("%s%d", prefix, i)
		if r := replies[fmt.Sprintf("%s-%d-0", prefix, i)]; !strings.Contains(r, "签到成功，积分+5") {
			h.t.Errorf("%s's 签到 got %q", from, r)
		}
		if got := h.pointsOf(chat, from); got != 6 {
			h.t.Errorf("%s has %d points, want 6 (check-in 5, one message point)", from, got)
		}
	}
	h.checkLedger()
}

// A stream of concurrent deliveries, each twice, of many members: every
// delivery answered, and every effect recorded exactly once.
func TestStreamIsExactlyOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		replies := h.stream(memberStream("s", 40), 16)
		h.checkStream("s", 40, replies)
	})
}

// One new member's first messages and check-ins racing each other on two
// replicas: no error, one member, one check-in, one message point.
func TestRacingFirstMessagesOnTwoReplicas(t *testing.T) {
	eachBackend(t, func(t *testing.T, a *harness) {
		b := a.replica()
		var wg sync.WaitGroup
		replies := make([]string, 24)
		for i := range replies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				h, text := a, "签到"
				if i%2 == 1 {
					h = b
				}
				if i%6 == 0 { // four chat messages: fewer than violation.flood's five
					text = fmt.Sprintf("第%d条：大家好", i)
				}
				r, err := h.send.AIBotText(context.Background(), fmt.Sprintf("race-%d", i), "G1", "rita", text)
				if err != nil || r.Status != 200 {
					t.Errorf("delivery %d: %+v %v", i, r, err)
				}
				replies[i] = r.Text
			}()
		}
		wg.Wait()
		won := 0
		for i, r := range replies {
			switch {
			case i%6 == 0:
			case strings.Contains(r, "签到成功"):
				won++
			case !strings.Contains(r, "今天已签到"):
				t.Errorf("签到 %d got %q", i, r)
			}
		}
		if won != 1 {
			t.Errorf("%d check-ins succeeded, want 1", won)
		}
		if got := a.pointsOf("G1", "rita"); got != 6 {
			t.Errorf("rita has %d points, want 6", got)
		}
		a.checkLedger()
	})
}

// Redis loses everything in the middle of a stream: nothing acknowledged is
// lost, nothing is counted twice, and redeliveries still get their reply.
func TestRedisLostUnderLoad(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		msgs := memberStream("f", 40)
		half := len(msgs) / 2
		replies := h.stream(msgs[:half], 16)
		var flushed sync.WaitGroup
		flushed.Add(1)
		go func() { // while the second half is on its way
			defer flushed.Done()
			time.Sleep(5 * time.Millisecond)
			h.dropRedisKeys()
		}()
		for id, r := range h.stream(msgs[half:], 16) {
			if prev, ok := replies[id]; ok && prev != r {
				t.Errorf("%s answered %q before Redis was lost and %q after", id, prev, r)
			}
			replies[id] = r
		}
		flushed.Wait()
		h.checkStream("f", 40, replies)
	})
}

// dropRedisKeys deletes every key of this test's qunbot, as if Redis had
// restarted empty.
func (h *harness) dropRedisKeys() {
	h.t.Helper()
	ctx := context.Background()
	rdb := h.app.store.Redis()
	iter := rdb.Scan(ctx, 0, h.keyPrefix+"qunbot:*", 1000).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		h.t.Fatal(err)
	}
	if len(keys) > 0 {
		if err := rdb.Del(ctx, keys...).Err(); err != nil {
			h.t.Fatal(err)
		}
	}
}

// What the transactional path writes (a mute, a grant) reaches the copies
// the hot path decides from.
func TestSlowWritesReachTheCopies(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.say("G1", "bob", "大家好")
		contains(t, h.say("G1", "bob", "积分"), "1")
		contains(t, h.say("G1", "owner1", "/givepoints bob +7 活动奖励"), "当前积分8")
		contains(t, h.say("G1", "bob", "积分"), "积分：8")
		contains(t, h.say("G1", "owner1", "/mute bob 1h 刷屏"), "禁言")
		contains(t, h.say("G1", "bob", "我还能说话吗"), "禁言期间发言")
		contains(t, h.say("G1", "bob", "签到"), "禁言中")
	})
}

// Redis comes back with the copies it had: what was written while it was
// away is not in them, so they are all left behind and read again.
func TestRedisBackWithOldCopies(t *testing.T) {
	mr := miniredis.RunT(t)
	eachBackend(t, func(t *testing.T, h *harness) {
		mr.FlushAll()
		h.say("G1", "bob", "大家好") // bob's copy: not muted
		mr.Close()
		contains(t, h.say("G1", "owner1", "/mute bob 1h 刷屏"), "禁言")
		if err := mr.Restart(); err != nil { // with bob's old copy
			t.Fatal(err)
		}
		h.advance(10 * time.Second) // past the breaker's pause
		contains(t, h.say("G1", "bob", "我还能说话吗"), "禁言期间发言")
	}, withEnv("QUNBOT_REDIS_URL", "redis://"+mr.Addr()))
}
