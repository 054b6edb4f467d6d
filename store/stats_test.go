package store_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

func TestAnalyticsRollups(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		// members: a, b, c present (joined in that order), d left on the 21st
		for i, u := range []string{"c", "a", "b", "d"} {
			at := t0.Add(time.Duration(i-10) * 24 * time.Hour)
			must(t, s.SaveMember(ctx, rules.Member{ChatID: "G1", UserID: u, JoinedAt: &at}))
		}
		left := t0
		must(t, s.SaveMember(ctx, rules.Member{ChatID: "G1", UserID: "d", LeftAt: &left}))
		say := map[string][]string{ // day → speakers, one message each
			"2026-11-20": {"a", "a", "a", "d"},
			"2026-11-21": {"a", "b", "b"},
			"2026-11-22": {"a"}, // outside the window read below
		}
		for day, users := range say {
			for _, u := range users {
				must(t, s.CountMessage(ctx, "G1", u, day, t0))
			}
		}
		must(t, s.CountMessage(ctx, "G2", "a", "2026-11-21", t0))
		for _, u := range []string{"a", "b", "c", "d", "e"} { // five members: several shards
			must(t, s.AddDayCounts(ctx, "G1", u, rules.DayCounts{Day: "2026-11-21", Checkins: 1, Joins: 1}))
		}
		must(t, s.AddDayCounts(ctx, "G1", "d", rules.DayCounts{Day: "2026-11-21", Leaves: 1}))

		w := rules.Window{From: "2026-11-19", To: "2026-11-21", Since: t0.Add(-time.Hour)}
		days, err := s.DayCounts(ctx, "G1", w)
		must(t, err)
		want := []rules.DayCounts{
			{Day: "2026-11-20", Messages: 4, Speakers: 2},
			{Day: "2026-11-21", Messages: 3, Speakers: 2, Checkins: 5, Joins: 5, Leaves: 1},
		}
		if !reflect.DeepEqual(days, want) {
			t.Errorf("DayCounts = %+v\nwant %+v", days, want)
		}
		hist, err := s.ActiveDays(ctx, "G1", w)
		must(t, err)
		wantHist := []rules.ActiveDays{{Days: 1, Present: false, Members: 1}, {Days: 1, Present: true, Members: 1},
			{Days: 2, Present: true, Members: 1}}
		if !sameBuckets(hist, wantHist) {
			t.Errorf("ActiveDays = %+v, want %+v", hist, wantHist)
		}
		top, err := s.TopSpeakers(ctx, "G1", w, 2)
		must(t, err)
		if wantTop := []rules.Speaker{{UserID: "a", Messages: 4, Days: 2}, {UserID: "b", Messages: 2, Days: 1}}; !reflect.DeepEqual(top, wantTop) {
			t.Errorf("TopSpeakers = %+v, want %+v", top, wantTop)
		}
		members, churned, err := s.Population(ctx, "G1", w)
		must(t, err)
		if members != 3 || churned != 1 {
			t.Errorf("Population = %d members, %d churned, want 3, 1", members, churned)
		}
		later := rules.Window{From: "2026-11-22", To: "2026-11-22", Since: t0.Add(time.Hour)}
		if _, churned, _ := s.Population(ctx, "G1", later); churned != 0 {
			t.Errorf("left before the window counted as churned: %d", churned)
		}
		silent, err := s.SilentMembers(ctx, "G1", later, 10)
		must(t, err)
		if want := []string{"c", "b"}; !reflect.DeepEqual(silent, want) {
			t.Errorf("SilentMembers = %v, want %v (longest in the group first)", silent, want)
		}
	})
}

// sameBuckets compares histograms whatever their order within a day count.
func sameBuckets(got, want []rules.ActiveDays) bool {
	count := map[rules.ActiveDays]int{}
	for _, b := range got {
		count[b]++
	}
	for _, b := range want {
		count[b]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return len(got) == len(want)
}

func TestRedeliveredTurnsCountOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		e := newEngine(t, s, clk.Now, nil)
		deliver := func(ev bot.Event, times int) {
			t.Helper()
			concurrently(t, times, func(int) error { _, err := e.Handle(ctx, ev); return err })
		}
		deliver(say("m1", "alice", "早上好"), 10)
		deliver(say("m2", "alice", "签到"), 10)
		deliver(say("m3", "bob", "在"), 1)
		deliver(say("m3", "bob", "在"), 1)
		join := bot.Event{ID: "j1", Channel: bot.ChannelApp, Kind: bot.KindMemberJoin, ChatID: "G1", From: "sys",
			At: clk.Now(), Member: bot.MemberChange{UpdateDetail: "add_member", UserIDs: []string{"carol", "dave"}}}
		deliver(join, 5)
		leave := join
		leave.ID, leave.Kind, leave.Member = "l1", bot.KindMemberLeave,
			bot.MemberChange{UpdateDetail: "del_member", UserIDs: []string{"dave"}}
		deliver(leave, 5)

		st, err := e.Stats(ctx, "G1", 7)
		must(t, err)
		want := rules.DayCounts{Messages: 3, Speakers: 2, Checkins: 1, Joins: 2, Leaves: 1}
		if st.Total != want {
			t.Errorf("totals = %+v, want %+v", st.Total, want)
		}
		today := st.Daily[len(st.Daily)-1]
		if today.Day != "2026-11-21" || today.Messages != 3 || len(st.Daily) != 7 {
			t.Errorf("daily = %+v, want 7 days ending 2026-11-21 with today's 3 messages", st.Daily)
		}
		// carol joined today: not silent yet; dave left in the window
		wantSeg := rules.Segments{HighValue: 0, Potential: 3, Silent: 0, Churned: 1}
		if st.Members != 3 || st.Speakers != 2 || st.Segments != wantSeg {
			t.Errorf("members %d, speakers %d, segments %+v; want 3, 2, %+v", st.Members, st.Speakers, st.Segments, wantSeg)
		}
	})
}

func TestStatsWindowBounds(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		e := newEngine(t, s, clk.Now, nil)
		for _, days := range []int{0, rules.MaxStatsDays + 1} {
			if _, err := e.Stats(ctx, "G1", days); err == nil {
				t.Errorf("Stats over %d days: no error", days)
			}
		}
		for i := range 3 { // one message a day for three days
			_, err := e.Handle(ctx, say(fmt.Sprint("m", i), "alice", "早"))
			must(t, err)
			clk.Advance(24 * time.Hour)
		}
		st, err := e.Stats(ctx, "G1", 2) // today (silent) and yesterday
		must(t, err)
		if st.From != "2026-11-23" || st.To != "2026-11-24" || st.Total.Messages != 1 || st.Segments.Potential != 1 {
			t.Errorf("2-day window = %s..%s, %d messages, %+v", st.From, st.To, st.Total.Messages, st.Segments)
		}
	})
}
