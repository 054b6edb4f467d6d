package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
	"github.com/qunbot/qunbot/store/storetest"
)

// The stats benchmarks read a group of 100,000 members with 30 days of
// roll-ups: 3,000 core members speak every day and 7,000 of 70,000
// occasional members each day (each on 3 days of the 30), so 10,000 speak
// on any day (300,000 member-day rows) and 73,000 in the 30 days; 1,000 left
// in the window. Day counters are in 16 shards a day, as the turns write them.
const (
	benchMembers = 100_000
	benchDays    = 30
)

var benchNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC) // 20:00 in Shanghai

// seedStats writes the group described above straight into the tables.
func seedStats(b *testing.B, s *store.Store) {
	b.Helper()
	joined := benchNow.AddDate(0, -6, 0)
	var members, memberDays, days, active [][]any
	marks := map[string]store.Activity{}
	for i := range benchMembers {
		var left any
		if i%100 == 99 { // 1,000 left in the window
			left = benchNow.Add(-time.Duration(i%(benchDays*24)) * time.Hour)
		}
		members = append(members, []any{"G1", fmt.Sprintf("u%06d", i), joined.Add(time.Duration(i) * time.Second), left,
			joined, benchNow, "", 0, false, false})
	}
	for d := range benchDays {
		day := benchNow.AddDate(0, 0, d-benchDays+1).In(shanghai).Format(time.DateOnly)
		for i := range 10_000 {
			u := i // 0..2999 every day
			if i >= 3000 {
				u = 3000 + (i-3000)*10 + d%10 // a different 7,000 each day, each on 3 days of 30
			}
			id := fmt.Sprintf("u%06d", u)
			memberDays = append(memberDays, []any{"G1", day, id, 1 + i%7})
			marks[id] = marks[id].Mark(day)
		}
		for shard := range 16 {
			days = append(days, []any{"G1", day, shard, 2500, 625, 300, 1, 2})
		}
	}
	for id, a := range marks {
		active = append(active, append([]any{"G1", id}, a.Row()...))
	}
	for _, t := range []struct {
		name string
		cols []string
		rows [][]any
	}{
		{"members", []string{"chat_id", "user_id", "joined_at", "left_at", "first_seen", "updated_at", "inviter",
			"join_scene", "removed", "approved"}, members},
		{"stat_member_days", []string{"chat_id", "day", "user_id", "messages"}, memberDays},
		{"stat_days", []string{"chat_id", "day", "shard", "messages", "speakers", "checkins", "joins", "leaves"}, days},
		{"stat_members", []string{"chat_id", "user_id", "last_day", "bits0", "bits1"}, active},
	} {
		if err := store.BulkInsert(s, t.name, t.cols, t.rows); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStatsRead100k is one GET .../stats?days=30 (or 7) of that group:
// the day counters, the speakers histogram and the member counts.
func BenchmarkStatsRead100k(b *testing.B) {
	for _, be := range storetest.Backends(b) {
		s := storetest.Open(b, be)
		seedStats(b, s)
		e := newEngine(b, s, func() time.Time { return benchNow }, nil)
		for _, days := range []int{30, 7} {
			b.Run(fmt.Sprintf("%s/%dd", be.Name, days), func(b *testing.B) {
				for range b.N {
					st, err := e.Stats(ctx, "G1", days)
					if err != nil || st.Members != 99_000 || len(st.Daily) != days {
						b.Fatal(err, st.Members, len(st.Daily))
					}
				}
			})
		}
		month := rules.Window{From: "2026-11-01", To: "2026-11-30"}
		b.Run(be.Name+"/top5", func(b *testing.B) {
			for range b.N {
				top, err := s.TopSpeakers(ctx, "G1", month, 5)
				if err != nil || len(top) != 5 || top[0].Days != benchDays {
					b.Fatal(err, top)
				}
			}
		})
		b.Run(be.Name+"/silent20", func(b *testing.B) {
			for range b.N {
				ids, err := s.SilentMembers(ctx, "G1", month, 20)
				if err != nil || len(ids) != 20 {
					b.Fatal(err, len(ids))
				}
			}
		})
	}
}
