package store_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

// countingHot is the store as the hot path's HotStore, counting the
// message-points reservations asked of Redis.
type countingHot struct {
	*store.Store
	upFront, alone atomic.Int32 // reserved with BeginTurn / on their own
}

func (c *countingHot) BeginTurn(ctx context.Context, s rules.TurnStart) (rules.TurnBegun, error) {
	if s.Slot != nil {
		c.upFront.Add(1)
	}
	return c.Store.BeginTurn(ctx, s)
}

func (c *countingHot) ReserveMessageSlot(ctx context.Context, s rules.MessageSlot) (rules.Meter, bool, error) {
	c.alone.Add(1)
	return c.Store.ReserveMessageSlot(ctx, s)
}

func (c *countingHot) reservations() int { return int(c.upFront.Load() + c.alone.Load()) }

// A hot turn whose member's meter already refuses the slot (within the
// cooldown, or the day's cap reached) asks Redis for no reservation; the
// others still reserve, and the points come out as the rules say.
func TestHotTurnsSkipReservationsTheMeterRefuses(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		hot := &countingHot{Store: s}
		e, err := rules.New(rules.Deps{Store: s, Counters: s, Hot: hot, Now: clk.Now, Location: shanghai,
			Groups: map[string]map[string]string{"G1": {"message.daily_cap": "2"}}})
		must(t, err)
		c := &chat{t: t, e: e}

		c.say("bob", "大家好") // earns: the first reservation
		if n := hot.reservations(); n != 1 {
			t.Fatalf("reservations after the first message = %d, want 1", n)
		}
		for range 4 { // within the cooldown: none
			clk.Advance(10 * time.Second)
			c.say("bob", "在吗")
		}
		if n := hot.reservations(); n != 1 {
			t.Errorf("reservations within the cooldown = %d, want still 1", n)
		}
		clk.Advance(time.Minute)
		c.say("bob", "继续聊") // the cooldown is over: reserved with the turn's first round trip
		if up := hot.upFront.Load(); up != 1 || hot.reservations() != 2 {
			t.Errorf("after the cooldown: %d up front, %d in all; want 1 and 2", up, hot.reservations())
		}
		clk.Advance(time.Minute)
		c.say("bob", "还在") // the cap of 2 is reached: no reservation
		if n := hot.reservations(); n != 2 {
			t.Errorf("reservations at the daily cap = %d, want still 2", n)
		}
		if bal, _ := s.Balance(ctx, "G1", "bob"); bal != 2 {
			t.Errorf("balance = %d, want 2", bal)
		}

		// Another replica, which never saw bob, reads his meter with his
		// state: it asks for nothing either until the next day.
		other := &countingHot{Store: s}
		e2, err := rules.New(rules.Deps{Store: s, Counters: s, Hot: other, Now: clk.Now, Location: shanghai,
			Groups: map[string]map[string]string{"G1": {"message.daily_cap": "2"}}})
		must(t, err)
		c2 := &chat{t: t, e: e2, n: 100}
		clk.Advance(time.Minute)
		c2.say("bob", "换个地方说")
		c2.say("bob", "再说一句")
		if bal, _ := s.Balance(ctx, "G1", "bob"); bal != 2 || other.reservations() != 0 {
			t.Errorf("on another replica at the cap: balance %d, %d reservations; want 2 and 0", bal, other.reservations())
		}
		clk.Advance(24 * time.Hour)
		c2.say("bob", "新的一天")
		if bal, _ := s.Balance(ctx, "G1", "bob"); bal != 3 || other.reservations() != 1 {
			t.Errorf("the next day: balance %d, %d reservations; want 3 and 1", bal, other.reservations())
		}
	})
}
