package store_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

var (
	errNotFound  = rules.ErrNotFound
	errDuplicate = rules.ErrDuplicate
)

func TestClaimDeliveryOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		must(t, s.ClaimDelivery(ctx, "m1", t0))
		if err := s.ClaimDelivery(ctx, "m1", t0); !errors.Is(err, errDuplicate) {
			t.Fatalf("second ClaimDelivery error = %v, want ErrDuplicate", err)
		}
		// Ids differing only in case are different events.
		must(t, s.ClaimDelivery(ctx, "M1", t0))
		got, err := s.StoredReply(ctx, "m1")
		if err != nil || got != "" {
			t.Errorf("StoredReply before SaveReply = %q, %v; want \"\", nil", got, err)
		}
		must(t, s.SaveReply(ctx, "m1", "签到成功"))
		if got, err = s.StoredReply(ctx, "m1"); err != nil || got != "签到成功" {
			t.Errorf("StoredReply = %q, %v; want 签到成功", got, err)
		}
	})
}

// Exactly one of many racing Atomic calls that claim one event id keeps its
// effects; the rest see ErrDuplicate and keep nothing.
func TestClaimDeliveryRace(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		const racers = 30
		var wg sync.WaitGroup
		errs := make([]error, racers)
		for i := range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.Atomic(ctx, func(tx rules.Tx) error {
					if err := tx.ClaimDelivery(ctx, "race", t0); err != nil {
						return err
					}
					return tx.AddModlog(ctx, rules.ModEntry{ChatID: "G1", Action: rules.ModWarn,
						Actor: "a", Target: fmt.Sprint(i), At: t0})
				})
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, errDuplicate):
				t.Errorf("Atomic error = %v, want nil or ErrDuplicate", err)
			}
		}
		entries, err := s.ModlogEntries(ctx, "G1", 100)
		must(t, err)
		if won != 1 || len(entries) != 1 {
			t.Errorf("winners = %d, modlog rows = %d; want 1 and 1", won, len(entries))
		}
	})
}

func TestAtomicRollsBack(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		boom := errors.New("boom")
		err := s.Atomic(ctx, func(tx rules.Tx) error {
			must(t, tx.ClaimDelivery(ctx, "m1", t0))
			must(t, tx.Enqueue(ctx, t0, rulesAction("G1")))
			// A nested Atomic joins the outer transaction.
			must(t, tx.(rules.Store).Atomic(ctx, func(tx rules.Tx) error { return tx.EnsureGroup(ctx, "G1", t0) }))
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Atomic error = %v, want boom", err)
		}
		if _, err := s.StoredReply(ctx, "m1"); !errors.Is(err, errNotFound) {
			t.Errorf("delivery kept after rollback: %v", err)
		}
		gs, _ := s.ListGroups(ctx)
		pending, _, _ := s.OutboxDepth(ctx)
		if len(gs) != 0 || pending != 0 {
			t.Errorf("after rollback: groups %v, pending %d; want none", gs, pending)
		}
	})
}

func TestPruneDeliveries(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		must(t, s.ClaimDelivery(ctx, "old", t0.Add(-48*time.Hour)))
		must(t, s.ClaimDelivery(ctx, "new", t0))
		n, err := s.PruneDeliveries(ctx, t0.Add(-24*time.Hour))
		must(t, err)
		if n != 1 {
			t.Errorf("PruneDeliveries removed %d, want 1", n)
		}
		if _, err := s.StoredReply(ctx, "new"); err != nil {
			t.Errorf("new delivery pruned: %v", err)
		}
		if err := s.ClaimDelivery(ctx, "old", t0); err != nil {
			t.Errorf("pruned id cannot be claimed again: %v", err)
		}
	})
}

func TestLedgerIdempotencyKeyIsUnique(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		if _, err := store.InsertLedger(s, "G1", "alice", "m1:message"); err != nil {
			t.Fatalf("first ledger row: %v", err)
		}
		if unique, err := store.InsertLedger(s, "G1", "alice", "m1:message"); !unique {
			t.Errorf("second ledger row with one idem key: err %v, want a unique violation", err)
		}
		if _, err := store.InsertLedger(s, "G1", "alice", "M1:message"); err != nil {
			t.Errorf("idem keys differing in case collided: %v", err)
		}
	})
}
