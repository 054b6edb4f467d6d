package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

// A redelivery finds the claim of its delivery: while the first turn runs
// it is told so without a reply, and once that turn is committed it is
// answered with the turn's reply ("" included) from the same key.
func TestRedeliveryIsAnsweredFromTheClaim(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		for _, reply := range []string{"今天已签到", ""} {
			id := "m-" + reply
			start := rules.TurnStart{EventID: id, ChatID: "G1", UserID: "alice"}
			if _, err := s.BeginTurn(ctx, start); err != nil {
				t.Fatal(err)
			}
			begun, err := s.BeginTurn(ctx, start)
			if !errors.Is(err, rules.ErrDuplicate) || begun.HasReply {
				t.Fatalf("redelivery in flight = %+v, %v; want ErrDuplicate without a reply", begun, err)
			}
			j := &rules.Journal{EventID: id, At: clk.Now(), Reply: reply,
				Members: []rules.MemberDelta{{ChatID: "G1", UserID: "alice", Touch: true}}}
			must(t, s.Commit(ctx, j))
			begun, err = s.BeginTurn(ctx, start)
			if !errors.Is(err, rules.ErrDuplicate) || !begun.HasReply || begun.Reply != reply {
				t.Errorf("redelivery after the commit = %+v, %v; want ErrDuplicate with reply %q", begun, err, reply)
			}
		}
	})
}

// A claim lives as long as its turn and the redeliveries WeCom sends, not
// much longer: every message leaves one, so their lifetime is the memory
// the claims of a stream take.
func TestClaimsLiveAsLongAsRedeliveriesCome(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		start := rules.TurnStart{EventID: "m-ttl", ChatID: "G1", UserID: "alice"}
		claimTTL := func() time.Duration { return store.ClaimLifetime(s, "m-ttl") }
		if _, err := s.BeginTurn(ctx, start); err != nil {
			t.Fatal(err)
		}
		if ttl := claimTTL(); ttl <= 70*time.Second || ttl > 2*time.Minute {
			t.Errorf("claim in flight lives %v; want past the longest turn (70s) and at most 2m", ttl)
		}
		must(t, s.Commit(ctx, &rules.Journal{EventID: "m-ttl", At: clk.Now(), Reply: "ok",
			Members: []rules.MemberDelta{{ChatID: "G1", UserID: "alice", Touch: true}}}))
		if ttl := claimTTL(); ttl <= 70*time.Second || ttl > 2*time.Minute {
			t.Errorf("answered claim lives %v; want past WeCom's redeliveries and at most 2m", ttl)
		}
		if _, inProcess := s.Embedded(); inProcess {
			if keys := s.Redis().Keys(ctx, "*claim:*").Val(); len(keys) != 0 {
				t.Errorf("the in-process Redis holds claims %v; want them in the process", keys)
			}
		}
	})
}
