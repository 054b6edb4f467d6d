package rules

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// modEnv drives an Engine over modFake with a clock the test moves.
type modEnv struct {
	t   *testing.T
	e   *Engine
	f   *modFake
	now time.Time
	seq int
}

func newModEnv(t *testing.T, group map[string]string) *modEnv {
	t.Helper()
	env := &modEnv{t: t, f: newModFake(), now: time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)}
	g := map[string]string{"kind": KindInternal, "owner": "owner1", "message.points": "0"}
	for k, v := range group {
		g[k] = v
	}
	e, err := New(Deps{Store: env.f, Counters: env.f, Groups: map[string]map[string]string{"G1": g},
		Admins: []string{"boss"}, Now: func() time.Time { return env.now }})
	if err != nil {
		t.Fatal(err)
	}
	env.e = e
	return env
}

// send handles one event and returns its actions.
func (m *modEnv) send(ev bot.Event) []bot.Action {
	m.t.Helper()
	if ev.ID == "" {
		m.seq++
		ev.ID = fmt.Sprintf("msg-%d", m.seq)
	}
	acts, err := m.e.Handle(context.Background(), ev)
	if err != nil {
		m.t.Fatalf("Handle(%+v): %v", ev, err)
	}
	return acts
}

// say is an @-message in G1 through the 智能机器人; it returns the reply.
func (m *modEnv) say(from, text string) string {
	m.t.Helper()
	return bot.Reply(m.send(bot.Event{Channel: bot.ChannelAIBot, Kind: bot.KindMessage, ChatID: "G1",
		From: from, MsgType: "text", Text: text}))
}

func (m *modEnv) member(u string) Member { return m.f.members["G1/"+u] }

func (m *modEnv) outboxKinds() []bot.ActionKind {
	out := make([]bot.ActionKind, len(m.f.outbox))
	for i, a := range m.f.outbox {
		out[i] = a.Kind
	}
	return out
}

func wantContains(t *testing.T, what, got string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(got, p) {
			t.Errorf("%s = %q, want it to contain %q", what, got, p)
		}
	}
}

func TestLadderInInternalGroup(t *testing.T) {
	env := newModEnv(t, nil)
	env.f.banwords = []Banword{{ChatID: "G1", Pattern: "加微信"}}
	wantContains(t, "1st", env.say("bob", "快来加微信"), "@bob", "违禁词「加微信」", "警告1/3")
	wantContains(t, "2nd", env.say("bob", "加 微 信 了解下"), "禁言10分钟", "警告2/3")
	if until := env.member("bob").MutedUntil; until == nil || !until.Equal(env.now.Add(10*time.Minute)) {
		t.Fatalf("muted_until = %v, want now+10m", until)
	}
	env.now = env.now.Add(2 * time.Minute)
	turn := env.e.newTurn(env.f, bot.Event{ChatID: "G1", From: "bob"}, env.now)
	err := muteGate(context.Background(), turn, &Command{Name: "checkin"})
	wantContains(t, "muted command", fmt.Sprint(err), "禁言中", "还剩8分钟", "帮助")
	if err := muteGate(context.Background(), turn, rulesCommand); err != nil {
		t.Errorf("规则 while muted: %v, want allowed", err)
	}
	if got, want := env.say("bob", "帮助"), "你正在禁言中，还剩8分钟；禁言期间只能使用：\n• 帮助 — 查看你可以使用的命令\n• 规则 — 查看本群群规"; got != want {
		t.Errorf("help while muted = %q, want %q", got, want)
	}
	wantContains(t, "3rd (muted speech)", env.say("bob", "我说句话"), "禁言期间发言", "已提请群主和管理员移出", "警告3/3")
	if got, want := env.outboxKinds(), []bot.ActionKind{bot.ActRemovalCard}; !slices.Equal(got, want) {
		t.Fatalf("outbox = %v, want %v", got, want)
	}
	card := env.f.outbox[0]
	if !slices.Equal(card.To, []string{"owner1"}) || card.Card.Buttons[0].Key != "remove:1" {
		t.Errorf("card = %+v to %v", card.Card, card.To)
	}
	wantActions := []string{ModWarn, ModMute, ModRemoveRequested}
	if got := env.f.modlogActions(); !slices.Equal(got, wantActions) {
		t.Errorf("modlog = %v, want %v", got, wantActions)
	}

	click := bot.Event{Channel: bot.ChannelApp, Kind: bot.KindCardClick, From: "owner1", Card: bot.CardClick{EventKey: "remove:1"}}
	env.send(click)
	r := env.f.removals[0]
	if r.Decision != DecisionRemove || r.Decider != "owner1" {
		t.Errorf("removal = %+v, want decided remove by owner1", r)
	}
	last := env.f.outbox[len(env.f.outbox)-1]
	wantContains(t, "decision notice", last.Text, "owner1 决定移出 bob", "手动移出")
	click.From, click.Card.EventKey = "boss", "ignore:1"
	env.send(click)
	if got := env.f.modlogActions(); len(got) != 4 || got[3] != ModRemoveDecided {
		t.Errorf("modlog after two clicks = %v, want one remove_decided", got)
	}
}

func TestLadderRemovesInAppChat(t *testing.T) {
	env := newModEnv(t, map[string]string{"kind": KindAppChat})
	for i := 0; i < 3; i++ {
		env.send(bot.Event{Channel: bot.ChannelAIBot, Kind: bot.KindMessage, ChatID: "G1", From: "eve", MsgType: "card"})
		env.now = env.now.Add(time.Hour) // past the mute
	}
	if got := env.outboxKinds(); !slices.Contains(got, bot.ActAppChatRemove) {
		t.Fatalf("outbox = %v, want an appchat removal", got)
	}
	if m := env.member("eve"); !m.Removed || m.LeftAt == nil {
		t.Errorf("member = %+v, want removed", m)
	}
}

func TestViolationsExpire(t *testing.T) {
	env := newModEnv(t, map[string]string{"violation.expire": "1d"})
	env.f.banwords = []Banword{{ChatID: "G1", Pattern: "spam"}}
	wantContains(t, "1st", env.say("bob", "spam"), "警告1/3")
	env.now = env.now.Add(25 * time.Hour)
	wantContains(t, "after expiry", env.say("bob", "spam"), "警告1/3")
}

func TestShadowModeRecordsOnly(t *testing.T) {
	env := newModEnv(t, map[string]string{"moderation.mode": ModeShadow})
	env.f.banwords = []Banword{{ChatID: "G1", Pattern: "spam"}}
	for i := 0; i < 3; i++ {
		if got := env.say("bob", "spam"); got != "" {
			t.Errorf("shadow reply = %q, want none", got)
		}
	}
	if len(env.f.outbox) != 0 || env.member("bob").MutedUntil != nil {
		t.Errorf("shadow acted: outbox %v, member %+v", env.f.outbox, env.member("bob"))
	}
	got := env.f.modlogActions()
	if !slices.Equal(got, []string{ModShadow, ModShadow, ModShadow}) {
		t.Fatalf("modlog = %v, want three shadow rows", got)
	}
	wantContains(t, "3rd shadow row", env.f.modlog[2].Reason, "将移出", "3/3")
}

func TestDetectors(t *testing.T) {
	probation := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		group map[string]string
		ev    bot.Event
		want  string // "" means no violation
	}{
		{"foreign link", map[string]string{"violation.allow_domains": "qq.com"}, bot.Event{Text: "看 https://spam.top/x"}, "spam.top"},
		{"allowed link", map[string]string{"violation.allow_domains": "qq.com"}, bot.Event{Text: "https://docs.qq.com/x"}, ""},
		{"links free without a list", nil, bot.Event{Text: "https://spam.top/x"}, ""},
		{"probation link", nil, bot.Event{From: "newbie", Text: "https://spam.top/x"}, "观察期"},
		{"probation off", map[string]string{"violation.links_in_probation": "false"}, bot.Event{From: "newbie", Text: "https://spam.top"}, ""},
		{"business card", nil, bot.Event{MsgType: "card"}, "名片"},
		{"mini program", nil, bot.Event{MsgType: "miniprogram"}, "小程序"},
		{"admin never caught", nil, bot.Event{From: "owner1", MsgType: "card"}, ""},
		{"approved never caught", nil, bot.Event{From: "vip", MsgType: "card"}, ""},
		{"plain text", nil, bot.Event{Text: "大家好"}, ""},
	}
	for _, tt := range tests {
		env := newModEnv(t, tt.group)
		env.f.members["G1/newbie"] = Member{ChatID: "G1", UserID: "newbie", ProbationUntil: &probation}
		env.f.members["G1/vip"] = Member{ChatID: "G1", UserID: "vip", Approved: true}
		ev := tt.ev
		ev.Channel, ev.Kind, ev.ChatID = bot.ChannelAIBot, bot.KindMessage, "G1"
		if ev.From == "" {
			ev.From = "bob"
		}
		if ev.MsgType == "" {
			ev.MsgType = "text"
		}
		got := bot.Reply(env.send(ev))
		if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
			t.Errorf("%s: reply = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestFloodAndRepeat(t *testing.T) {
	env := newModEnv(t, map[string]string{"violation.flood": "5/10s", "violation.repeat": "3/60s"})
	for i := 1; i <= 4; i++ {
		if got := env.say("bob", fmt.Sprintf("消息 %d", i)); got != "" {
			t.Fatalf("message %d: reply %q, want none", i, got)
		}
		env.now = env.now.Add(time.Second)
	}
	wantContains(t, "5th in 10s", env.say("bob", "消息 5"), "刷屏")
	env.now = env.now.Add(time.Minute)
	env.say("amy", "同样的话")
	env.say("amy", "同样的 话")
	wantContains(t, "3rd repeat", env.say("amy", "同样的话"), "重复发送")
}

func TestRetriedOffenceCountsOnce(t *testing.T) {
	env := newModEnv(t, nil)
	ev := bot.Event{ID: "m1", Channel: bot.ChannelAIBot, Kind: bot.KindMessage, ChatID: "G1", From: "bob", MsgType: "card"}
	first, again := bot.Reply(env.send(ev)), bot.Reply(env.send(ev))
	if first != again || len(env.f.violations) != 1 {
		t.Errorf("retry reply %q vs %q, %d violations; want same reply and 1", again, first, len(env.f.violations))
	}
}
