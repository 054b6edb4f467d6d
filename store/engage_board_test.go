package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/store"
)

func boardOf(t *testing.T, c *chat, period string) string {
	t.Helper()
	_, top, err := c.e.Leaderboard(ctx, "G1", period)
	must(t, err)
	var parts []string
	for _, e := range top {
		parts = append(parts, fmt.Sprintf("%d.%s:%d", e.Rank, e.UserID, e.Points))
	}
	return strings.Join(parts, " ")
}

func TestLeaderboardPeriods(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		c := &chat{t: t, e: newEngine(t, s, clk.Now, map[string]string{"owner": "boss", "shop": "贴纸:20"})}
		// Sat 21 Nov: bob +30; Mon 23 Nov (a new week): alice checks in, carol +8.
		c.say("bob", "帮助") // bob and carol are known in the group
		c.say("carol", "帮助")
		c.say("boss", "/givepoints bob +30")
		wantContains(t, c.say("bob", "/top"), "本周积分排行", "1. bob 30分")
		clk.Advance(48 * time.Hour)
		c.say("alice", "签到")
		c.say("boss", "/givepoints carol +8")
		// Spending does not lower a rank: carol redeems 20 of her... bob does.
		wantContains(t, c.say("bob", "兑换 贴纸"), "兑换成功")
		tests := []struct{ period, want string }{
			{"day", "1.carol:8 2.alice:5"},
			{"week", "1.carol:8 2.alice:5"},
			{"month", "1.bob:30 2.carol:8 3.alice:5"},
			{"all", "1.bob:30 2.carol:8 3.alice:5"},
		}
		for _, tt := range tests {
			if got := boardOf(t, c, tt.period); got != tt.want {
				t.Errorf("%s board = %q, want %q", tt.period, got, tt.want)
			}
		}
		// Redis loses every board: they come back from the ledger.
		loseBoards(t, s)
		for _, tt := range tests {
			if got := boardOf(t, c, tt.period); got != tt.want {
				t.Errorf("%s board after Redis lost it = %q, want %q", tt.period, got, tt.want)
			}
		}
		c.say("alice", "hello") // a message point lands on the rebuilt boards
		if got, want := boardOf(t, c, "day"), "1.carol:8 2.alice:6"; got != want {
			t.Errorf("day board after a message = %q, want %q", got, want)
		}
		wantContains(t, c.say("bob", "排行 all"), "总积分排行", "1. bob 30分 · 新人")
		wantContains(t, c.say("bob", "/top year"), "用法")
	})
}

func TestWeeklyTopPost(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		c := &chat{t: t, e: newEngine(t, s, clk.Now, map[string]string{"owner": "boss", "webhook_key": "wk"})}
		for i, u := range []string{"alice", "bob", "carol", "dave"} {
			c.say(u, "帮助") // known in the group
			c.say("boss", fmt.Sprintf("/givepoints %s +%d", u, 10*(i+1)))
		}
		// Monday 23 Nov 09:00 in Shanghai is 01:00 UTC.
		monday := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
		ticks, err := c.e.DueTicks(ctx, monday.Add(-time.Minute))
		must(t, err)
		for _, tk := range ticks {
			if tk.Tick.Job == "weekly_top" {
				t.Fatalf("weekly_top due before 09:00: %+v", tk)
			}
		}
		ticks, err = c.e.DueTicks(ctx, monday)
		must(t, err)
		var tick *bot.Event
		for i := range ticks {
			if ticks[i].Tick.Job == "weekly_top" {
				tick = &ticks[i]
			}
		}
		if tick == nil || tick.ID != "tick:G1:weekly_top:2026-11-23" {
			t.Fatalf("weekly_top tick at Monday 09:00 = %+v", tick)
		}
		var posts []bot.Action
		for range 2 { // a second run of the same tick posts nothing more
			acts, err := c.e.Handle(ctx, *tick)
			must(t, err)
			for _, a := range acts {
				if a.Kind != bot.ActReply {
					posts = append(posts, a)
				}
			}
		}
		if len(posts) != 1 || posts[0].Kind != bot.ActWebhookSend {
			t.Fatalf("weekly post = %+v, want one webhook post", posts)
		}
		p := posts[0]
		wantContains(t, p.Text, "上周积分王（11月16日–11月22日）", "🥇 dave 40分", "🥈 carol", "🥉 bob")
		if strings.Contains(p.Text, "alice") || strings.Join(p.Mentions, ",") != "dave,carol,bob" {
			t.Errorf("weekly post = %q mentions %v, want top 3 only", p.Text, p.Mentions)
		}
	})
}
