package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// The screens of the reply catalogue, end to end through the engine.

func TestAliasesAndUnknownCommands(t *testing.T) {
	env := newModEnv(t, nil)
	for word, name := range map[string]string{"打卡": "checkin", "签个到": "checkin", "查积分": "points", "我的积分": "points"} {
		if c, _, ok := env.e.commands.match(word); !ok || c.Name != name {
			t.Errorf("%s matches %v, want /%s", word, c, name)
		}
	}
	for text, want := range map[string]string{
		"/warnn bob": "未知命令，是不是想用 /warn？",
		"/chekin":    "未知命令，是不是想用 /checkin？",
		"/xyzzy":     "未知命令 /xyzzy，发送「帮助」查看可用命令。",
		"/in G1 签到":  "/in <群ID> <命令> 用在与应用的单聊中；在群里直接@我发送命令即可。",
	} {
		if got := env.say("owner1", text); got != want {
			t.Errorf("%s = %q, want %q", text, got, want)
		}
	}
	overheard := env.send(bot.Event{Channel: bot.ChannelArchive, Kind: bot.KindMessage, ChatID: "G1", From: "amy", MsgType: "text", Text: "/warnn bob"})
	if len(overheard) != 0 {
		t.Errorf("a mistyped command overheard in the archive = %+v, want nothing said", overheard)
	}
	if got := env.say("amy", "/home/amy 下有个文件"); got != "" {
		t.Errorf("a path = %q, want no command reply", got)
	}
}

func TestHelpInTheDirectChat(t *testing.T) {
	env := newModEnv(t, nil)
	direct := func(from string) string {
		return bot.Reply(env.send(bot.Event{Channel: bot.ChannelApp, Kind: bot.KindMessage, From: from, MsgType: "text", Text: "帮助"}))
	}
	admin := direct("boss")
	for _, want := range []string{"管理员命令：", "• /warn <成员> [原因] — 警告成员（按阶梯升级）", sayHelpInHint} {
		if !strings.Contains(admin, want) {
			t.Errorf("admin's 帮助 in the 1:1 chat = %q, want %q", admin, want)
		}
	}
	if owner := direct("owner1"); !strings.Contains(owner, "管理员命令：") {
		t.Errorf("owner's 帮助 in the 1:1 chat = %q, want the admin commands", owner)
	}
	member := direct("amy")
	if strings.Contains(member, "管理员命令") || !strings.Contains(member, sayHelpInHint) {
		t.Errorf("member's 帮助 in the 1:1 chat = %q, want member commands and the /in hint", member)
	}
}

func TestRemovalWordsStayPlain(t *testing.T) {
	env := newModEnv(t, map[string]string{"violation.ladder": "1 remove"})
	env.say("bob", "大家好")
	if got := env.say("owner1", "/mute bob 10m 刷屏"); !strings.HasPrefix(got, "🔇 @bob：刷屏，禁言10分钟（至11月21日 06:10）") {
		t.Fatalf("/mute = %q", got)
	}
	env.now = env.now.Add(time.Second)
	if got, want := env.say("bob", "我说句话"), "⚠️ @bob：禁言期间发言，已提请群主和管理员移出。累计警告1/1"; got != want {
		t.Errorf("muted speech = %q, want %q", got, want)
	}
	for _, v := range env.f.violations {
		if strings.Contains(v.Reason, "还剩") {
			t.Errorf("stored reason %q holds a countdown", v.Reason)
		}
	}
	before := len(env.f.outbox)
	env.send(bot.Event{Channel: bot.ChannelApp, Kind: bot.KindCardClick, From: "owner1", Card: bot.CardClick{EventKey: "remove:1"}})
	sent := env.f.outbox[before:]
	if len(sent) != 1 || sent[0].Kind != bot.ActAppMessage || strings.Join(sent[0].To, ",") != "owner1" {
		t.Fatalf("after the decision = %+v, want one message to staff", sent)
	}
	want := "【G1】已记录：owner1 决定移出 bob，原因：禁言期间发言。请群主或管理员在群聊中手动移出 bob。"
	if sent[0].Text != want {
		t.Errorf("decision notice = %q, want %q", sent[0].Text, want)
	}
	if got, want := env.say("owner1", "/unwarn bob"), "已撤销 bob 最近一次警告：禁言期间发言。现有警告0/1。"; got != want {
		t.Errorf("/unwarn = %q, want %q", got, want)
	}
}
