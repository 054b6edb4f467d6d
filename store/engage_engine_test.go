package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

var shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

func newEngine(t testing.TB, s *store.Store, now func() time.Time, group map[string]string) *rules.Engine {
	t.Helper()
	e, err := rules.New(rules.Deps{Store: s, Counters: s, Now: now, Location: shanghai,
		Groups: map[string]map[string]string{"G1": group}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func say(id, from, text string) bot.Event {
	return bot.Event{ID: id, Channel: bot.ChannelAIBot, Kind: bot.KindMessage, ChatID: "G1", From: from, Text: text, MsgType: "text"}
}

func replyOf(acts []bot.Action) string {
	for _, a := range acts {
		if a.Kind == bot.ActReply {
			return a.Text
		}
	}
	return ""
}

// concurrently runs fn(i) for i in [0, n) at once and fails on any error.
func concurrently(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if err := fn(i); err != nil {
				t.Error(err)
			}
		}()
	}
	close(start)
	wg.Wait()
}

// checkLedgerSums checks that every member's balance is the sum of their rows.
func checkLedgerSums(t *testing.T, s *store.Store, users ...string) {
	t.Helper()
	for _, u := range users {
		rows, err := s.Entries(ctx, "G1", u, 10000)
		must(t, err)
		sum := 0
		for _, r := range rows {
			sum += r.Delta
		}
		bal, err := s.Balance(ctx, "G1", u)
		must(t, err)
		if bal != sum || bal < 0 {
			t.Errorf("%s: balance %d, sum of %d rows %d", u, bal, len(rows), sum)
		}
	}
}

func TestCheckinDeliveredThirtyTimesCreditsOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		e := newEngine(t, s, clk.Now, nil)
		replies := make([]string, 30)
		concurrently(t, 30, func(i int) error {
			acts, err := e.Handle(ctx, say("msg-1", "alice", "签到"))
			replies[i] = replyOf(acts)
			return err
		})
		for i, r := range replies {
			if r != replies[0] || !strings.Contains(r, "+5") || !strings.Contains(r, "连续1天") {
				t.Errorf("reply %d = %q, want the same check-in reply every time (first %q)", i, r, replies[0])
			}
		}
		rows, err := s.Entries(ctx, "G1", "alice", 100)
		must(t, err)
		if len(rows) != 1 || rows[0].Delta != 5 {
			t.Errorf("ledger = %+v, want one +5 row", rows)
		}
		checkLedgerSums(t, s, "alice")
	})
}

func TestThirtyMembersCheckInAtOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		e := newEngine(t, s, clk.Now, nil)
		users := make([]string, 30)
		for i := range users {
			users[i] = fmt.Sprintf("u%02d", i)
		}
		// Each member also sends a second 签到 (another msgid) at the same instant.
		concurrently(t, 60, func(i int) error {
			_, err := e.Handle(ctx, say(fmt.Sprintf("m%d", i), users[i%30], "签到"))
			return err
		})
		for _, u := range users {
			rows, err := s.Entries(ctx, "G1", u, 100)
			must(t, err)
			if len(rows) != 1 || rows[0].Kind != rules.LedgerCheckin || rows[0].Delta != 5 {
				t.Errorf("%s: ledger %+v, want exactly one +5 check-in", u, rows)
			}
		}
		checkLedgerSums(t, s, users...)
		_, top, err := e.Leaderboard(ctx, "G1", "day")
		must(t, err)
		if len(top) != 10 || top[0].Points != 5 {
			t.Errorf("day board = %+v, want 10 entries of 5", top)
		}
	})
}

// Two engines (two replicas) on the transactional path, each with a dozen
// first messages of one new member at once: none fails (under MySQL's
// REPEATABLE READ a turn whose snapshot predates the other's insert still
// finds the member), and the member earns one message point.
func TestFirstMessagesOfANewMemberOnTheTransactionalPath(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		a, b := newEngine(t, s, clk.Now, nil), newEngine(t, s, clk.Now, nil)
		concurrently(t, 24, func(i int) error {
			e := a
			if i%2 == 1 {
				e = b
			}
			_, err := e.Handle(ctx, say(fmt.Sprintf("first-%d", i), "newbie", fmt.Sprintf("第%d句", i)))
			return err
		})
		if got, err := s.Balance(ctx, "G1", "newbie"); err != nil || got != 1 {
			t.Errorf("newbie's balance = %d, %v; want one message point", got, err)
		}
		checkLedgerSums(t, s, "newbie")
	})
}

func TestRedemptionsRaceForBalanceAndStock(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		e := newEngine(t, s, clk.Now, map[string]string{"owner": "boss", "shop": "贴纸:30, 咖啡券:10:3"})
		grant := func(u string) {
			_, err := e.Handle(ctx, say("grant-"+u, "boss", "/givepoints "+u+" +100"))
			must(t, err)
		}
		users := []string{"alice", "bob", "carol", "dave", "erin"}
		for _, u := range users {
			must(t, s.TouchMember(ctx, "G1", u, t0))
			grant(u)
		}
		// alice has 100 points: of ten racing 贴纸 (30 each) exactly three succeed.
		concurrently(t, 10, func(i int) error {
			_, err := e.Handle(ctx, say(fmt.Sprint("sticker-", i), "alice", "兑换 贴纸"))
			return err
		})
		if bal, _ := s.Balance(ctx, "G1", "alice"); bal != 10 {
			t.Errorf("alice's balance after the race = %d, want 10", bal)
		}
		// Three 咖啡券 in stock, five members racing for them twice each.
		concurrently(t, 10, func(i int) error {
			_, err := e.Handle(ctx, say(fmt.Sprint("coffee-", i), users[i%5], "兑换咖啡券"))
			return err
		})
		orders, err := s.Orders(ctx, "G1", rules.OrderQuery{Limit: 100})
		must(t, err)
		coffee := 0
		for _, o := range orders {
			if o.Item == "咖啡券" {
				coffee++
			}
		}
		if len(orders) != 6 || coffee != 3 {
			t.Errorf("orders = %d (%d 咖啡券), want 6 (3)", len(orders), coffee)
		}
		checkLedgerSums(t, s, users...)
	})
}
