package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

func TestLeaderboards(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		b := rules.BoardAt(rules.PeriodWeek, t0)
		if _, ok, err := s.Top(ctx, "G1", b, 10); err != nil || ok {
			t.Fatalf("Top of a board never built = ok %v, %v; want not ok", ok, err)
		}
		// A credit to a board that is not built is left for the rebuild.
		must(t, s.AddEarned(ctx, "G1", "alice", 5, []rules.Board{b}))
		if _, ok, _ := s.Top(ctx, "G1", b, 10); ok {
			t.Fatal("AddEarned built a board from one row")
		}
		must(t, s.RebuildBoard(ctx, "G1", b, map[string]int{"alice": 7, "bob": 12, "carol": 3}, t0))
		must(t, s.AddEarned(ctx, "G1", "carol", 10, []rules.Board{b}))
		top, ok, err := s.Top(ctx, "G1", b, 2)
		must(t, err)
		if got, want := fmt.Sprint(top), "[{carol 13} {bob 12}]"; !ok || got != want {
			t.Errorf("Top = %s %v, want %s", got, ok, want)
		}
		rank, score, ok, err := s.RankOf(ctx, "G1", "alice", b)
		must(t, err)
		if !ok || rank != 3 || score != 7 {
			t.Errorf("RankOf(alice) = %d %d %v, want 3 7 true", rank, score, ok)
		}
		rank, _, ok, err = s.RankOf(ctx, "G1", "dave", b)
		must(t, err)
		if !ok || rank != 0 {
			t.Errorf("RankOf(dave) = %d %v, want 0 true", rank, ok)
		}
		// Other groups and periods are separate boards.
		if _, ok, _ := s.Top(ctx, "G2", b, 10); ok {
			t.Error("G2's board is ready without a rebuild")
		}
		if _, ok, _ := s.Top(ctx, "G1", rules.BoardAt(rules.PeriodDay, t0), 10); ok {
			t.Error("the day board is ready without a rebuild")
		}
		// Losing Redis is noticed: the board asks for a rebuild again.
		loseBoards(t, s)
		if _, ok, _ := s.Top(ctx, "G1", b, 10); ok {
			t.Error("Top after Redis lost the board says ok")
		}
	})
}

func TestLeaderboardExpiry(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		day := rules.BoardAt(rules.PeriodDay, t0)
		must(t, s.RebuildBoard(ctx, "G1", day, map[string]int{"alice": 1}, t0))
		ttl, err := s.Redis().TTL(ctx, keyLike(t, s, "*:day:*")).Result()
		must(t, err)
		if ttl <= 0 || ttl > day.To.Sub(t0)+36*24*time.Hour {
			t.Errorf("day board TTL = %v", ttl)
		}
	})
}

// keyLike finds the one Redis key matching pattern.
func keyLike(t *testing.T, s *store.Store, pattern string) string {
	t.Helper()
	keys, err := s.Redis().Keys(ctx, "*"+pattern).Result()
	must(t, err)
	var sets []string
	for _, k := range keys {
		if len(k) < 6 || k[len(k)-6:] != ":ready" {
			sets = append(sets, k)
		}
	}
	if len(sets) != 1 {
		t.Fatalf("keys matching %s: %v", pattern, keys)
	}
	return sets[0]
}

// loseBoards deletes every leaderboard key of the test's store, as a Redis
// restart without persistence would (never FLUSHDB: the server is shared).
func loseBoards(t *testing.T, s *store.Store) {
	t.Helper()
	keys, err := s.Redis().Keys(ctx, "*board:{*").Result()
	must(t, err)
	for _, k := range keys {
		must(t, s.Redis().Del(ctx, k).Err())
	}
}
