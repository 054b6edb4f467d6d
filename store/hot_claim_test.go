package store_test

import (
	"errors"
	"testing"

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
