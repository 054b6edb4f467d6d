package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

// chat drives one engine turn by turn with fresh message ids.
type chat struct {
	t   *testing.T
	e   *rules.Engine
	n   int
	out []bot.Action // proactive actions of the last turn
}

func (c *chat) say(from, text string) string {
	c.t.Helper()
	c.n++
	acts, err := c.e.Handle(ctx, say(fmt.Sprint("m", c.n), from, text))
	must(c.t, err)
	c.out = nil
	for _, a := range acts {
		if a.Kind != bot.ActReply {
			c.out = append(c.out, a)
		}
	}
	return replyOf(acts)
}

func wantContains(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("reply %q lacks %q", got, w)
		}
	}
}

func TestStreakBrokenAndMadeUp(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		c := &chat{t: t, e: newEngine(t, s, clk.Now, map[string]string{"owner": "boss"})}
		day := 24 * time.Hour
		wantContains(t, c.say("alice", "签到"), "+5", "连续1天", "当前积分5") // Sat 21st
		clk.Advance(day)
		wantContains(t, c.say("alice", "签到"), "+6", "连续2天", "当前积分11")
		wantContains(t, c.say("alice", "签到"), "今天已签到")
		clk.Advance(day) // Mon 23rd
		wantContains(t, c.say("alice", "/checkin"), "+7", "连续3天", "当前积分18")
		clk.Advance(2 * day) // Wed 25th: Tuesday was missed
		wantContains(t, c.say("alice", "补签"), "积分不足", "20")
		c.say("boss", "/givepoints alice +10 补贴")
		wantContains(t, c.say("alice", "签到"), "+5", "连续1天") // the streak broke
		wantContains(t, c.say("alice", "补签"), "补签成功（11月24日），消耗20积分，连续5天")
		clk.Advance(day)
		wantContains(t, c.say("alice", "签到"), "连续6天", "+10") // capped bonus
		clk.Advance(2 * day)                                 // Sat 28th, Friday missed, same week
		wantContains(t, c.say("alice", "补签"), "本周已经补签过")
		checkLedgerSums(t, s, "alice")
		if bal, _ := s.Balance(ctx, "G1", "alice"); bal != 5+6+7+10+5-20+10 {
			t.Errorf("balance = %d, want %d", bal, 5+6+7+10+5-20+10)
		}
	})
}

func TestMessagePointsCooldownAndCap(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		c := &chat{t: t, e: newEngine(t, s, clk.Now, map[string]string{"message.daily_cap": "3"})}
		for range 5 { // 5 messages 10 s apart: the first earns, the cooldown stops the rest
			c.say("bob", "大家好")
			clk.Advance(10 * time.Second)
		}
		if bal, _ := s.Balance(ctx, "G1", "bob"); bal != 1 {
			t.Errorf("balance after 5 messages within the cooldown = %d, want 1", bal)
		}
		for range 5 {
			clk.Advance(time.Minute)
			c.say("bob", "继续聊")
		}
		if bal, _ := s.Balance(ctx, "G1", "bob"); bal != 3 {
			t.Errorf("balance after the daily cap = %d, want 3", bal)
		}
		c.say("bob", "积分") // commands never earn
		clk.Advance(24 * time.Hour)
		c.say("bob", "新的一天")
		if bal, _ := s.Balance(ctx, "G1", "bob"); bal != 4 {
			t.Errorf("balance the next day = %d, want 4", bal)
		}
		// A muted member earns nothing.
		m, err := s.Member(ctx, "G1", "bob")
		must(t, err)
		until := clk.Now().Add(time.Hour)
		m.MutedUntil = &until
		must(t, s.SaveMember(ctx, m))
		clk.Advance(2 * time.Minute)
		c.say("bob", "我被禁言了吗")
		if bal, _ := s.Balance(ctx, "G1", "bob"); bal != 4 {
			t.Errorf("a muted member earned: balance %d", bal)
		}
	})
}

func TestGivePointsAndLevels(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		c := &chat{t: t, e: newEngine(t, s, clk.Now, map[string]string{"owner": "boss", "levels": "0 新人, 6 活跃成员, 60 骨干"})}
		c.say("alice", "hi")
		wantContains(t, c.say("alice", "/givepoints alice +50"), "无权限")
		if rows, _ := s.Entries(ctx, "G1", "", 100); len(rows) != 1 {
			t.Errorf("ledger after a refused /givepoints has %d rows, want 1 (the message)", len(rows))
		}
		wantContains(t, c.say("alice", "签到"), "恭喜", "活跃成员", "+5") // 1 + 5 crosses 6
		got := c.say("boss", "/givepoints alice +60 活动奖励")
		wantContains(t, got, "+60", "活动奖励")
		if len(c.out) != 1 || !strings.Contains(c.out[0].Text, "骨干") || c.out[0].To[0] != "boss" {
			t.Errorf("level-up of someone else = %+v, want a post to the owner naming 骨干", c.out)
		}
		wantContains(t, c.say("boss", "/givepoints alice -1000"), "不能扣到负数")
		wantContains(t, c.say("alice", "积分"), "积分：66", "骨干", "第1名")
	})
}

func TestMemberEngagementView(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		c := &chat{t: t, e: newEngine(t, s, clk.Now, map[string]string{"owner": "boss", "shop": "贴纸:10"})}
		c.say("alice", "签到")
		clk.Advance(24 * time.Hour)
		c.say("alice", "签到") // +6
		c.say("boss", "/givepoints alice +50")
		c.say("alice", "兑换 贴纸")
		v, err := c.e.Member(ctx, "G1", "alice")
		must(t, err)
		if v.Points != 51 || v.Level != 1 || v.Title != "活跃成员" || v.CheckinStreak != 2 || v.LastCheckinDay != "2026-11-22" {
			t.Errorf("view = %+v, want 51 points, level 1活跃成员 (61 earned), streak 2 on 2026-11-22", v)
		}
		clk.Advance(48 * time.Hour)
		v, err = c.e.Member(ctx, "G1", "alice")
		must(t, err)
		if v.CheckinStreak != 0 || v.LastCheckinDay != "2026-11-22" {
			t.Errorf("after a missed day: streak %d last %s, want 0 and 2026-11-22", v.CheckinStreak, v.LastCheckinDay)
		}
		entries, err := c.e.LedgerOf(ctx, "G1", "alice", 10)
		must(t, err)
		if len(entries) != 4 || entries[0].Kind != rules.LedgerRedeem || entries[3].Kind != rules.LedgerCheckin {
			t.Errorf("LedgerOf = %+v", entries)
		}
	})
}
