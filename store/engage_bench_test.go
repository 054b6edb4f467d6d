package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store/storetest"
)

// BenchmarkCheckin is one 签到 through Engine.Handle: claim, streak lookup,
// check-in row, ledger row, balance, reply, commit, leaderboard update.
// Every iteration is a new member, so every one credits.
func BenchmarkCheckin(b *testing.B) {
	for _, be := range storetest.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			s := storetest.Open(b, be)
			now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
			e := newEngine(b, s, func() time.Time { return now }, nil)
			if _, _, err := e.Leaderboard(ctx, "G1", "day"); err != nil { // boards ready: updates are real
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := range b.N {
				acts, err := e.Handle(ctx, say(fmt.Sprint("bench-", i), fmt.Sprint("u", i), "签到"))
				if err != nil || replyOf(acts) == "" {
					b.Fatal(err, acts)
				}
			}
		})
	}
}

// BenchmarkLeaderboardRead100k reads the week's top 10 (names and titles
// included) of a group with 100,000 members on the board.
func BenchmarkLeaderboardRead100k(b *testing.B) {
	for _, be := range storetest.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			s := storetest.Open(b, be)
			now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
			e := newEngine(b, s, func() time.Time { return now }, nil)
			totals := make(map[string]int, 100_000)
			for i := range 100_000 {
				totals[fmt.Sprintf("u%06d", i)] = (i * 7919) % 5000
			}
			for _, period := range []string{rules.PeriodWeek, rules.PeriodAll} {
				board := rules.BoardAt(period, now.In(shanghai))
				if err := s.RebuildBoard(ctx, "G1", board, totals, now); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for range b.N {
				_, top, err := e.Leaderboard(ctx, "G1", "week")
				if err != nil || len(top) != 10 {
					b.Fatal(err, len(top))
				}
			}
		})
	}
}

// BenchmarkLeaderboardRebuild100k is what a read costs right after Redis lost
// a board: 100,000 members' totals summed from the ledger and written back.
func BenchmarkLeaderboardRebuild100k(b *testing.B) {
	for _, be := range storetest.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			s := storetest.Open(b, be)
			now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
			e := newEngine(b, s, func() time.Time { return now }, nil)
			seedLedger(b, s, now, 100_000)
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				keys, _ := s.Redis().Keys(ctx, "*board:{G1}*").Result()
				for _, k := range keys {
					s.Redis().Del(ctx, k)
				}
				b.StartTimer()
				if _, top, err := e.Leaderboard(ctx, "G1", "week"); err != nil || len(top) != 10 {
					b.Fatal(err, len(top))
				}
			}
		})
	}
}
