package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

func aibotSend(chat string) bot.Action {
	return bot.Action{Kind: bot.ActAIBotSend, ChatID: chat, Text: "hi", Key: "k-" + chat}
}

func TestOnlyTheConnectionHolderDeliversAIBotSends(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		holds := false
		standby := &fakeSender{}
		holder := &fakeSender{}
		ws := s.NewWorker(store.WorkerOptions{Sender: standby})
		wh := s.NewWorker(store.WorkerOptions{Sender: holder, LongConn: func() bool { return holds }})
		var sends []bot.Action // more than a scan: they must not hide other rows
		for i := range outboxBatchForTest {
			sends = append(sends, aibotSend(fmt.Sprintf("G%d", 100+i)))
		}
		must(t, s.Enqueue(ctx, t0, append(sends, rulesAction("G2"))...))
		if got := drain(t, ws); got != 1 || standby.got[0].Kind != bot.ActAppChatSend {
			t.Fatalf("a replica without the connection delivered %d rows (%v), want only the appchat post", got, standby.got)
		}
		if got := drain(t, wh); got != 0 {
			t.Errorf("a replica that lost the connection delivered %d aibot sends", got)
		}
		holds = true
		if got := drain(t, wh); got != len(sends) {
			t.Errorf("the holder delivered %d aibot sends, want %d", got, len(sends))
		}
	})
}

// outboxBatchForTest is more than the worker scans at once (32).
const outboxBatchForTest = 40

func TestAIBotLimitIsSharedWithAnswers(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		for i := range 30 {
			wait, err := s.TakeChat(ctx, "G4")
			if err != nil || wait != 0 {
				t.Fatalf("answer %d: wait %v, %v", i+1, wait, err)
			}
		}
		if wait, err := s.TakeChat(ctx, "G4"); err != nil || wait != time.Minute {
			t.Errorf("31st answer in a minute: wait %v, %v; want 1m", wait, err)
		}
		if wait, err := s.TakeChat(ctx, "alice"); err != nil || wait != 0 {
			t.Errorf("another chat: wait %v, %v", wait, err)
		}
		f := &fakeSender{}
		w := s.NewWorker(store.WorkerOptions{Sender: f, LongConn: func() bool { return true }})
		must(t, s.Enqueue(ctx, t0, aibotSend("G4")))
		if got := drain(t, w); got != 0 {
			t.Fatalf("a post over the chat's limit was delivered")
		}
		if e := onlyEntry(t, s); e.Status != "pending" || e.Attempts != 0 || !e.NextAttemptAt.Equal(t0.Add(time.Minute)) {
			t.Errorf("deferred post %+v, want pending with no attempt until t0+1m", e)
		}
		clk.Advance(time.Minute)
		if got := drain(t, w); got != 1 {
			t.Errorf("delivered %d once the minute passed", got)
		}
	})
}

func TestAIBotHourlyLimit(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		taken := 0
		for taken < 1000 {
			wait, err := s.TakeChat(ctx, "G5")
			must(t, err)
			if wait > 0 {
				clk.Advance(wait)
				continue
			}
			taken++
		}
		wait, err := s.TakeChat(ctx, "G5")
		must(t, err)
		if elapsed := clk.Now().Sub(t0); wait <= 0 || elapsed+wait != time.Hour {
			t.Errorf("after 1000 sends in %v: wait %v, want until an hour after the first", elapsed, wait)
		}
	})
}

func TestLeaseHasOneHolder(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		a, b := s.Lease("aibot:bot1"), s.Lease("aibot:bot1")
		ttl := time.Minute
		check := func(what string, got bool, err error, want bool) {
			t.Helper()
			if err != nil || got != want {
				t.Errorf("%s = %v, %v; want %v", what, got, err, want)
			}
		}
		ok, err := a.Acquire(ctx, ttl)
		check("a acquires", ok, err, true)
		ok, err = b.Acquire(ctx, ttl)
		check("b acquires a held lease", ok, err, false)
		ok, err = a.Acquire(ctx, ttl)
		check("a acquires its own lease again", ok, err, true)
		ok, err = a.Renew(ctx, ttl)
		check("a renews", ok, err, true)
		ok, err = b.Renew(ctx, ttl)
		check("b renews a's lease", ok, err, false)
		must(t, b.Release(ctx)) // not b's: changes nothing
		ok, err = b.Acquire(ctx, ttl)
		check("b acquires after its own release", ok, err, false)
		must(t, a.Release(ctx))
		ok, err = b.Acquire(ctx, ttl)
		check("b acquires after a released", ok, err, true)
		ok, err = a.Renew(ctx, ttl)
		check("a renews after losing it", ok, err, false)
		other := s.Lease("aibot:bot2")
		ok, err = other.Acquire(ctx, ttl)
		check("another bot's lease", ok, err, true)
	})
}

func TestLeaseExpires(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		a, b := s.Lease("aibot:bot1"), s.Lease("aibot:bot1")
		if ok, err := a.Acquire(ctx, 300*time.Millisecond); !ok || err != nil {
			t.Fatalf("acquire: %v, %v", ok, err)
		}
		// Redis ages the lease by its own clock: a holder that stopped renewing
		// loses it, and b gets it.
		deadline := time.Now().Add(10 * time.Second)
		for {
			ok, err := b.Acquire(ctx, time.Minute)
			must(t, err)
			if ok {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("an unrenewed lease never expired")
			}
			time.Sleep(50 * time.Millisecond)
		}
		if ok, err := a.Renew(ctx, time.Minute); ok || err != nil {
			t.Errorf("the old holder renewed: %v, %v", ok, err)
		}
	})
}

func TestAIBotReach(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		if _, err := s.AIBotReach(ctx, "G1"); err != rules.ErrNotFound {
			t.Errorf("unknown group: %v, want rules.ErrNotFound", err)
		}
		must(t, s.SetAIBotReach(ctx, rules.Reach{ChatID: "G1", State: rules.ReachYes, At: t0}))
		must(t, s.SetAIBotReach(ctx, rules.Reach{ChatID: "G2", State: rules.ReachYes, At: t0}))
		must(t, s.SetAIBotReach(ctx, rules.Reach{ChatID: "G2", State: rules.ReachRefused, Code: 93001, At: t0.Add(time.Hour)}))
		got, err := s.AIBotReach(ctx, "G2")
		must(t, err)
		if want := (rules.Reach{ChatID: "G2", State: rules.ReachRefused, Code: 93001, At: t0.Add(time.Hour)}); got != want {
			t.Errorf("G2 = %+v, want %+v", got, want)
		}
		all, err := s.AIBotReaches(ctx)
		must(t, err)
		if len(all) != 2 || all["G1"].State != rules.ReachYes || all["G2"].Code != 93001 {
			t.Errorf("all = %+v", all)
		}
	})
}
