package rules

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// dayOf is the fake's group counters of one day.
func (m *modEnv) dayOf(day string) DayCounts {
	return m.f.activity.days[[2]string{"G1", day}]
}

// present records members of G1 who joined before the test.
func (m *modEnv) present(users ...string) {
	for _, u := range users {
		joined := m.now.Add(-30 * 24 * time.Hour)
		m.f.members["G1/"+u] = Member{ChatID: "G1", UserID: u, JoinedAt: &joined}
	}
}

func TestMessagesCountedOnceInTheirTurn(t *testing.T) {
	env := newModEnv(t, nil)
	env.say("alice", "早")
	env.say("alice", "吃了吗")
	msg := bot.Event{ID: "m-1", Channel: bot.ChannelAIBot, Kind: bot.KindMessage, ChatID: "G1", From: "bob", MsgType: "text", Text: "hi"}
	env.send(msg)
	env.send(msg) // a redelivery is refused by the claim before it counts
	env.send(bot.Event{Channel: bot.ChannelApp, Kind: bot.KindMessage, From: "boss", MsgType: "text", Text: "/in G1 /rules"})
	got, want := env.dayOf("2026-11-21"), DayCounts{Day: "2026-11-21", Messages: 3, Speakers: 2}
	if got != want {
		t.Errorf("day counters = %+v, want %+v", got, want)
	}
	env.now = env.now.Add(24 * time.Hour)
	env.say("alice", "又是一天")
	if got := env.dayOf("2026-11-22"); got.Messages != 1 || got.Speakers != 1 {
		t.Errorf("next day = %+v, want 1 message, 1 speaker", got)
	}
}

// checkinFake adds check-ins to modFake for statsTx.
type checkinFake struct {
	*modFake
	seen map[string]bool
}

func (f checkinFake) AddCheckin(_ context.Context, c Checkin) (bool, error) {
	k := c.UserID + c.Day
	if f.seen[k] {
		return false, nil
	}
	f.seen[k] = true
	return true, nil
}

func TestStatsTxCountsCheckinsJoinsAndLeaves(t *testing.T) {
	env := newModEnv(t, nil)
	f := checkinFake{modFake: env.f, seen: map[string]bool{}}
	turn := env.e.newTurn(f, bot.Event{ChatID: "G1"}, env.now)
	tx := withStats(turn)
	ctx := context.Background()
	day := "2026-11-21"
	steps := []func() error{
		func() error {
			_, err := tx.AddCheckin(ctx, Checkin{ChatID: "G1", UserID: "alice", Day: day})
			return err
		},
		func() error {
			_, err := tx.AddCheckin(ctx, Checkin{ChatID: "G1", UserID: "alice", Day: day})
			return err
		},
		func() error {
			_, err := tx.AddCheckin(ctx, Checkin{ChatID: "G1", UserID: "bob", Day: "2026-11-20", Makeup: true})
			return err
		},
		func() error { return tx.SaveMember(ctx, Member{ChatID: "G1", UserID: "carol", JoinedAt: &env.now}) },
		func() error { // a mute changes nothing about presence
			return tx.SaveMember(ctx, Member{ChatID: "G1", UserID: "carol", JoinedAt: &env.now, MutedUntil: &env.now})
		},
		func() error { return tx.SaveMember(ctx, Member{ChatID: "G1", UserID: "carol", LeftAt: &env.now}) },
		func() error { return tx.SaveMember(ctx, Member{ChatID: "G1", UserID: "carol", LeftAt: &env.now}) },
		func() error { return tx.SaveMember(ctx, Member{ChatID: "G1", UserID: "dave", LeftAt: &env.now}) },
		func() error { return tx.SaveMember(ctx, Member{ChatID: "G1", UserID: "carol", JoinedAt: &env.now}) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	got, want := env.dayOf(day), DayCounts{Day: day, Checkins: 1, Joins: 2, Leaves: 2}
	if got != want {
		t.Errorf("day counters = %+v, want %+v", got, want)
	}
	if made := env.dayOf("2026-11-20"); made.Checkins != 0 {
		t.Errorf("a 补签 counted as a check-in of %s", made.Day)
	}
}

func TestStatsCommandNamesSilentMembersOnlyToStaff(t *testing.T) {
	env := newModEnv(t, nil)
	env.present("alice", "bob", "carol", "dave")
	for range 3 {
		env.say("alice", "聊天")
	}
	env.now = env.now.Add(24 * time.Hour)
	env.say("alice", "聊天")
	env.say("bob", "在吗")
	reply := env.say("boss", "/stats 7d")
	// boss's /stats is a staff command, not activity; having spoken in the group
	// he is a member, a silent one
	// carol and dave joined 31 days ago and never spoke: silent
	wantContains(t, "/stats", reply, "近7天", "消息5条", "发言2人", "最活跃：alice（2天，4条）、bob（1天，1条）",
		"成员5人：高价值0 · 潜在3 · 沉默2 · 流失0", "近7天未发言3人，名单已私信")
	for _, silent := range []string{"carol", "dave"} {
		if strings.Contains(reply, silent) {
			t.Errorf("group reply names silent %s: %q", silent, reply)
		}
	}
	if len(env.f.outbox) != 1 {
		t.Fatalf("outbox = %+v, want one app message", env.f.outbox)
	}
	msg := env.f.outbox[0]
	if msg.Kind != bot.ActAppMessage || !slices.Equal(msg.To, []string{"owner1", "boss"}) {
		t.Errorf("staff message = %+v, want an app message to owner1 and boss", msg)
	}
	wantContains(t, "staff message", msg.Text, "boss、carol、dave", "共3人")

	direct := bot.Reply(env.send(bot.Event{Channel: bot.ChannelApp, Kind: bot.KindMessage, From: "boss", MsgType: "text",
		Text: "/in G1 /stats 30d"}))
	wantContains(t, "/stats from the 1:1 chat", direct, "近30天", "消息5条", "boss、carol、dave")
	if len(env.f.outbox) != 1 {
		t.Errorf("a 1:1 /stats queued %d more messages; the names belong in its reply", len(env.f.outbox)-1)
	}
	wantContains(t, "member", env.say("bob", "/stats"), denied)
	wantContains(t, "bad window", env.say("boss", "/stats 1y"), "用法：/stats")
}

func TestReportJobsNext(t *testing.T) {
	s := &Settings{Report: ReportSettings{Daily: "21:00", Weekly: "Mon 09:00", Monthly: "1 09:00"}}
	sat := time.Date(2026, 11, 21, 20, 59, 0, 0, time.UTC)
	for _, tt := range []struct {
		job  scheduledJob
		want time.Time
	}{
		{dailyReportJob, time.Date(2026, 11, 21, 21, 0, 0, 0, time.UTC)},
		{weeklyReportJob, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)},
		{monthlyReportJob, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)},
	} {
		if got, ok := tt.job.Next(s, sat); !ok || !got.Equal(tt.want) {
			t.Errorf("%s after %v = %v %v, want %v", tt.job.Job, sat, got, ok, tt.want)
		}
		off := &Settings{Report: ReportSettings{Daily: "off", Weekly: "off", Monthly: "off"}}
		if _, ok := tt.job.Next(off, sat); ok {
			t.Errorf("%s falls due while off", tt.job.Job)
		}
	}
}

// tick handles a scheduled run in G1.
func (m *modEnv) tick(job, run string) {
	m.send(bot.Event{ID: "tick:G1:" + job + ":" + run, Channel: bot.ChannelSystem, Kind: bot.KindTick, ChatID: "G1",
		From: "qunbot", Tick: &bot.Tick{Job: job, Run: run}})
}

func TestWeeklyReportRoutesFollowupToStaff(t *testing.T) {
	tests := []struct {
		name   string
		group  map[string]string
		public bot.ActionKind
		posts  int // outbox rows: the post, plus the staff's alert and list when the post reaches the group
	}{
		{"no webhook: one message to staff", nil, bot.ActAppMessage, 1},
		{"webhook: counts to the group, names to staff", map[string]string{"webhook_key": "k1"}, bot.ActWebhookSend, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newModEnv(t, tt.group)
			env.present("alice", "carol")
			env.now = time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC) // Friday
			env.say("alice", "周五好")
			env.now = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) // Monday
			env.tick(JobWeeklyReport, "2026-11-23")
			env.tick(JobWeeklyReport, "2026-11-23") // the same run again: nothing more
			if len(env.f.outbox) != tt.posts {
				t.Fatalf("outbox = %+v, want %d rows", env.f.outbox, tt.posts)
			}
			post := env.f.outbox[len(env.f.outbox)-1]
			if post.Kind != tt.public {
				t.Errorf("report went by %s, want %s", post.Kind, tt.public)
			}
			wantContains(t, "recap", post.Text, "上周回顾（11月16日–11月22日）", "消息1条", "最活跃：alice（1天，1条）")
			names := env.f.outbox[0]
			if names.Kind != bot.ActAppMessage || !slices.Equal(names.To, []string{"owner1"}) {
				t.Errorf("silent names went %+v, want an app message to owner1", names)
			}
			wantContains(t, "staff list", names.Text, "群健康提醒", "参与率50.0%，低于目标60.0%",
				"本周需要跟进的成员：近14天发言少于3条，共2人", "alice（1条，最后发言11月20日）、carol（从未发言）")
			if tt.public != bot.ActAppMessage && strings.Contains(post.Text, "carol") {
				t.Errorf("group post names silent carol: %q", post.Text)
			}
		})
	}
}

func TestDailyReportSkipsAQuietDay(t *testing.T) {
	env := newModEnv(t, nil)
	env.present("alice")
	env.tick(JobDailyReport, "2026-11-21")
	if len(env.f.outbox) != 0 {
		t.Errorf("a day with no activity was reported: %+v", env.f.outbox)
	}
	env.say("alice", "晚上好")
	env.tick(JobDailyReport, "2026-11-20") // another run: yesterday, still quiet
	env.tick(JobDailyReport, "2026-11-21")
	// the first tick of 2026-11-21 was already handled: its ID is claimed
	if len(env.f.outbox) != 0 {
		t.Errorf("a claimed run reported again: %+v", env.f.outbox)
	}
	env.now = env.now.Add(24 * time.Hour)
	env.say("alice", "早")
	env.tick(JobDailyReport, "2026-11-22")
	if len(env.f.outbox) != 1 {
		t.Fatalf("outbox = %+v, want the day's report", env.f.outbox)
	}
	wantContains(t, "daily report", env.f.outbox[0].Text, "今日群活跃（11月22日）", "消息1条（较前日持平）· 发言1人（较前日持平）· 签到0次",
		"人均日发言1.00条（较前日持平）",
		"最活跃：alice（1条）")
}
