package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

func entry(user string, delta int, kind, idem string, at time.Time) rules.LedgerEntry {
	return rules.LedgerEntry{ChatID: "G1", UserID: user, Delta: delta, Kind: kind, Reason: "r", Source: "ev", Actor: user, IdemKey: idem, At: at}
}

func TestLedger(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		rows := []rules.LedgerEntry{
			entry("alice", 5, rules.LedgerCheckin, "k1", t0),
			entry("alice", 1, rules.LedgerMessage, "k2", t0.Add(time.Minute)),
			entry("alice", -3, rules.LedgerRedeem, "k3", t0.Add(2*time.Minute)),
			entry("bob", 10, rules.LedgerInvite, "k4", t0.Add(25*time.Hour)),
			entry("bob", -10, rules.LedgerClawback, "k5", t0.Add(26*time.Hour)),
			entry("bob", 2, rules.LedgerGrant, "k6", t0.Add(26*time.Hour)),
		}
		for _, e := range rows {
			added, err := s.AddEntry(ctx, e)
			must(t, err)
			if !added {
				t.Fatalf("AddEntry(%s) not added", e.IdemKey)
			}
		}
		if added, err := s.AddEntry(ctx, entry("alice", 5, rules.LedgerCheckin, "k1", t0)); err != nil || added {
			t.Fatalf("second AddEntry(k1) = %v, %v; want not added", added, err)
		}
		for _, tt := range []struct {
			user            string
			balance, earned int
		}{{"alice", 3, 6}, {"bob", 2, 2}, {"carol", 0, 0}} {
			bal, err := s.Balance(ctx, "G1", tt.user)
			must(t, err)
			earned, err := s.EarnedTotal(ctx, "G1", tt.user)
			must(t, err)
			if bal != tt.balance || earned != tt.earned {
				t.Errorf("%s: balance %d earned %d, want %d %d", tt.user, bal, earned, tt.balance, tt.earned)
			}
		}
		es, err := s.Entries(ctx, "G1", "alice", 10)
		must(t, err)
		if len(es) != 3 || es[0].IdemKey != "k3" || es[2].IdemKey != "k1" || !es[0].At.Equal(t0.Add(2*time.Minute).Truncate(time.Millisecond)) {
			t.Errorf("Entries(alice) = %+v, want k3, k2, k1 newest first", es)
		}
		all, err := s.EarnedBy(ctx, "G1", time.Time{}, time.Time{})
		must(t, err)
		if fmt.Sprint(all) != "map[alice:6 bob:2]" {
			t.Errorf("EarnedBy(ever) = %v", all)
		}
		day, err := s.EarnedBy(ctx, "G1", t0.Add(-time.Hour), t0.Add(time.Hour))
		must(t, err)
		if fmt.Sprint(day) != "map[alice:6]" {
			t.Errorf("EarnedBy(day) = %v", day)
		}
	})
}

// TestLedgerIdempotentUnderRace: thirty writers of one idempotency key
// write one row.
func TestLedgerIdempotentUnderRace(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		var wg sync.WaitGroup
		addedCount := make(chan bool, 30)
		for range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := s.Atomic(ctx, func(tx rules.Tx) error {
					added, err := tx.AddEntry(ctx, entry("alice", 5, rules.LedgerCheckin, "same", t0))
					if err == nil {
						addedCount <- added
					}
					return err
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		close(addedCount)
		n := 0
		for a := range addedCount {
			if a {
				n++
			}
		}
		bal, err := s.Balance(ctx, "G1", "alice")
		must(t, err)
		if n != 1 || bal != 5 {
			t.Errorf("added %d times, balance %d; want 1 and 5", n, bal)
		}
	})
}

func TestCheckins(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		if _, err := s.LastCheckin(ctx, "G1", "alice", "2026-11-21"); err != rules.ErrNotFound {
			t.Fatalf("LastCheckin before any = %v, want ErrNotFound", err)
		}
		for _, day := range []string{"2026-11-19", "2026-11-20"} {
			added, err := s.AddCheckin(ctx, rules.Checkin{ChatID: "G1", UserID: "alice", Day: day, Streak: 1, Points: 5, At: t0})
			must(t, err)
			if !added {
				t.Fatalf("AddCheckin(%s) not added", day)
			}
		}
		if added, err := s.AddCheckin(ctx, rules.Checkin{ChatID: "G1", UserID: "alice", Day: "2026-11-20", At: t0}); err != nil || added {
			t.Fatalf("second AddCheckin = %v %v, want not added", added, err)
		}
		must(t, s.SetCheckinStreak(ctx, "G1", "alice", "2026-11-20", 2))
		c, err := s.LastCheckin(ctx, "G1", "alice", "2026-11-21")
		must(t, err)
		if c.Day != "2026-11-20" || c.Streak != 2 || c.Points != 5 {
			t.Errorf("LastCheckin = %+v, want 2026-11-20 streak 2", c)
		}
		c, err = s.LastCheckin(ctx, "G1", "alice", "2026-11-19")
		must(t, err)
		if c.Day != "2026-11-19" {
			t.Errorf("LastCheckin(on or before 19th) = %s", c.Day)
		}
	})
}

func TestMessageSlots(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		slot := func(at time.Time, day string) bool {
			t.Helper()
			ok, err := s.TakeMessageSlot(ctx, rules.MessageSlot{ChatID: "G1", UserID: "alice", Day: day, At: at, Cooldown: time.Minute, DailyCap: 2})
			must(t, err)
			return ok
		}
		steps := []struct {
			at   time.Duration
			day  string
			want bool
		}{
			{0, "d1", true}, {30 * time.Second, "d1", false}, {time.Minute, "d1", true},
			{3 * time.Minute, "d1", false}, // the cap of 2
			{10 * time.Hour, "d2", true},   // a new day
		}
		for _, st := range steps {
			if got := slot(t0.Add(st.at), st.day); got != st.want {
				t.Errorf("slot at +%v on %s = %v, want %v", st.at, st.day, got, st.want)
			}
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		granted := 0
		for range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.TakeMessageSlot(ctx, rules.MessageSlot{ChatID: "G1", UserID: "bob", Day: "d1", At: t0, Cooldown: time.Minute, DailyCap: 20})
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				defer mu.Unlock()
				if ok {
					granted++
				}
			}()
		}
		wg.Wait()
		if granted != 1 {
			t.Errorf("30 racing messages earned %d times, want 1", granted)
		}
	})
}

func TestShopUsage(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		for i, u := range []string{"alice", "alice", "bob"} {
			must(t, s.Atomic(ctx, func(tx rules.Tx) error {
				if _, _, err := tx.ShopUsage(ctx, "G1", "咖啡券", u); err != nil {
					return err
				}
				_, err := tx.AddOrder(ctx, rules.Order{ChatID: "G1", UserID: u, Item: "咖啡券", Cost: 50, EventID: fmt.Sprint("e", i), At: t0})
				return err
			}))
		}
		sold, mine, err := s.ShopUsage(ctx, "G1", "咖啡券", "alice")
		must(t, err)
		if sold != 3 || mine != 2 {
			t.Errorf("ShopUsage = %d sold, %d mine; want 3, 2", sold, mine)
		}
		orders, err := s.Orders(ctx, "G1", rules.OrderQuery{Limit: 10})
		must(t, err)
		if len(orders) != 3 || orders[0].UserID != "bob" {
			t.Errorf("Orders = %+v", orders)
		}
	})
}
