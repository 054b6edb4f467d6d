package store_test

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

// What a group commit answers each turn of a batch when some break a unique
// key: a delivery recorded before is a duplicate, a ledger row recorded
// before is a conflict, and every other turn of the batch commits.
func TestGroupCommitAnswersEachTurnOfABrokenBatch(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		journal := func(event, idem string) *rules.Journal {
			return &rules.Journal{EventID: event, At: clk.Now(), Ledger: []rules.LedgerEntry{{
				ChatID: "G1", UserID: "alice", Delta: 1, Kind: rules.LedgerMessage, Reason: "message",
				Source: event, Actor: "alice", IdemKey: idem, At: clk.Now(),
			}}}
		}
		must(t, s.Commit(ctx, journal("e-seen", "k-seen")))
		must(t, s.Commit(ctx, journal("e-taken", "k-taken")))

		turns := map[string]*rules.Journal{
			"e-seen":  journal("e-seen", "k-seen-again"), // the same delivery again
			"e-clash": journal("e-clash", "k-taken"),     // another delivery, a ledger key already used
			"e-a":     journal("e-a", "k-a"),
			"e-b":     journal("e-b", "k-b"),
			"e-c":     journal("e-c", "k-c"),
		}
		got := map[string]error{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for id, j := range turns { // together, so that they share batches
			wg.Go(func() {
				err := s.Commit(ctx, j)
				mu.Lock()
				got[id] = err
				mu.Unlock()
			})
		}
		wg.Wait()
		for id, err := range got {
			switch id {
			case "e-seen":
				if !errors.Is(err, rules.ErrDuplicate) {
					t.Errorf("%s: %v, want ErrDuplicate", id, err)
				}
			case "e-clash":
				if !errors.Is(err, rules.ErrConflict) {
					t.Errorf("%s: %v, want ErrConflict", id, err)
				}
			default:
				if err != nil {
					t.Errorf("%s: %v, want committed", id, err)
				}
			}
		}
		entries, err := s.Entries(ctx, "G1", "alice", 100)
		must(t, err)
		var keys []string
		for _, e := range entries {
			keys = append(keys, e.IdemKey)
		}
		slices.Sort(keys)
		// The broken turns wrote nothing, the others once.
		if want := []string{"k-a", "k-b", "k-c", "k-seen", "k-taken"}; !slices.Equal(keys, want) {
			t.Errorf("ledger keys %q, want %q", keys, want)
		}
	})
}
