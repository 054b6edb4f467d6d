package main

import (
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/wecomtest"
)

// TestWelcomeGoesTheRightWayOnce: each kind of group gets one welcome naming
// the newcomer through its channel, after the short gathering delay; a
// redelivered join event welcomes nobody again.
func TestWelcomeGoesTheRightWayOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.api.SetGroup(bot.GroupInfo{ChatID: "G3", Members: []bot.GroupMember{
			{UserID: "wmCust", Name: "客户甲", Type: 2, JoinTime: h.clock.Now()},
		}})
		h.api.SetUser("newbie", "小新") // the address book knows the newcomer's name
		joinedAt := h.clock.Now()
		h.join("G3", 0, "wmCust")
		for _, g := range []string{"G1", "G2", "G4"} {
			h.join(g, 0, "newbie")
		}
		h.join("G2", 0, "newbie") // WeCom delivers the same event again
		h.flush()
		h.flush()
		if n := len(h.api.CallsTo("/cgi-bin/appchat/send")); n != 0 {
			t.Fatalf("welcomed before the gathering delay: %d appchat/send", n)
		}
		h.welcomeDue()
		tests := []struct {
			group, path string
			want        []string
		}{
			{"G1 (webhook)", "/cgi-bin/webhook/send", []string{"欢迎 小新 加入产品交流群", `"mentioned_list":["newbie"]`}},
			{"G2 (appchat)", "/cgi-bin/appchat/send", []string{`"chatid":"G2"`, "欢迎 小新 加入项目群"}},
			{"G3 (external)", "/cgi-bin/message/send", []string{`"touser":"owner1"`, "【客户群】欢迎 客户甲 加入客户群"}},
			{"G4 (internal)", "/cgi-bin/message/send", []string{`"touser":"owner1"`, "【内部群】欢迎 小新 加入内部群"}},
		}
		for _, tt := range tests {
			calls := h.callsMentioning(tt.path, tt.want...)
			if len(calls) != 1 {
				t.Errorf("%s: %d welcome calls to %s with %q, want 1; all: %s", tt.group, len(calls), tt.path, tt.want, bodies(h.api.CallsTo(tt.path)))
			}
		}
		if n := len(h.api.CallsTo("/cgi-bin/appchat/send")); n != 1 {
			t.Errorf("appchat/send calls = %d, want 1 (the redelivery welcomed again?)", n)
		}
		if hooks := h.api.CallsTo("/cgi-bin/webhook/send"); len(hooks) != 1 || hooks[0].Query.Get("key") != "hook-g1" {
			t.Errorf("webhook calls = %s, want one to key hook-g1", bodies(hooks))
		}
		tpl := h.api.CallsTo("/cgi-bin/externalcontact/group_welcome_template/add")
		if len(tpl) != 1 || !strings.Contains(string(tpl[0].Body), "欢迎 %NICKNAME% 加入客户群") {
			t.Errorf("welcome template calls = %s, want one with %%NICKNAME%%", bodies(tpl))
		}
		h.advance(time.Minute) // WeCom retries the same event a minute later
		h.memberChange(wecomtest.MemberChange{ChatID: "G2", Detail: "add_member", UserIDs: []string{"newbie"}, At: joinedAt})
		h.welcomeDue()
		if n := len(h.api.CallsTo("/cgi-bin/appchat/send")); n != 1 {
			t.Errorf("appchat/send calls after a late redelivery = %d, want 1", n)
		}
	})
}

// TestBurstOfJoinsGetsOneWelcome: joins inside the gathering window share
// one welcome; a join after it gets its own.
func TestBurstOfJoinsGetsOneWelcome(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.join("G2", 0, "ann")
		h.advance(2 * time.Second)
		h.join("G2", 3, "ben", "cat")
		h.advance(2 * time.Second)
		h.join("G2", 0, "dan")
		h.welcomeDue()
		calls := h.api.CallsTo("/cgi-bin/appchat/send")
		if len(calls) != 1 || !containsAll(string(calls[0].Body), "ann、ben、cat、dan") {
			t.Fatalf("burst welcomes = %s, want one naming ann、ben、cat、dan", bodies(calls))
		}
		h.advance(time.Minute)
		h.join("G2", 0, "eve")
		h.welcomeDue()
		if calls = h.api.CallsTo("/cgi-bin/appchat/send"); len(calls) != 2 || !containsAll(string(calls[1].Body), "eve") {
			t.Errorf("later welcome = %s", bodies(calls))
		}
	})
}

// TestWelcomeCommand: /welcome sets the text, /welcome off silences joins.
func TestWelcomeCommand(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		contains(t, h.say("G2", "owner1", "/welcome 你好 {name}，请读群规：{rules}"), "预览", "你好 owner1")
		h.join("G2", 0, "ann")
		h.welcomeDue()
		if calls := h.callsMentioning("/cgi-bin/appchat/send", "你好 ann，请读群规"); len(calls) != 1 {
			t.Errorf("custom welcome calls = %s", bodies(h.api.CallsTo("/cgi-bin/appchat/send")))
		}
		contains(t, h.say("G2", "owner1", "/welcome off"), "关闭")
		h.join("G2", 0, "ben")
		h.welcomeDue()
		if n := len(h.api.CallsTo("/cgi-bin/appchat/send")); n != 1 {
			t.Errorf("appchat/send calls with the welcome off = %d, want 1", n)
		}
		if got := h.say("G2", "bob", "/welcome hi"); got != "无权限" {
			t.Errorf("member's /welcome = %q", got)
		}
	})
}

// TestProbationStartsAndEnds: a join starts probation for the configured
// time; the member view shows joined_at, probation_until, left_at.
func TestProbationStartsAndEnds(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		joined := h.clock.Now()
		h.join("G1", 3, "ann")
		m := h.member("G1", "ann")
		if got, want := m["joined_at"], joined.Format(time.RFC3339); got != want {
			t.Errorf("joined_at = %v, want %v", got, want)
		}
		if got, want := m["probation_until"], joined.Add(72*time.Hour).Format(time.RFC3339); got != want {
			t.Errorf("probation_until = %v, want %v", got, want)
		}
		if m["left_at"] != nil {
			t.Errorf("left_at = %v, want null", m["left_at"])
		}
		// in probation a link is a violation; once it has ended it is not
		contains(t, h.say("G1", "ann", "看看 https://spam.example.com/x"), "观察期内发送链接")
		h.advance(72*time.Hour - time.Second)
		contains(t, h.say("G1", "ann", "再看 https://spam.example.com/y"), "观察期内发送链接")
		h.advance(time.Second)
		if got := h.say("G1", "ann", "终于 https://spam.example.com/z"); strings.Contains(got, "观察期") {
			t.Errorf("a link after probation ended = %q, want no violation", got)
		}
		joined = h.clock.Now()
		contains(t, h.say("G1", "owner1", "/config probation 1h"), "probation")
		h.advance(time.Minute)
		h.join("G1", 0, "ben")
		if got, want := h.member("G1", "ben")["probation_until"], joined.Add(time.Minute+time.Hour).Format(time.RFC3339); got != want {
			t.Errorf("probation_until with probation 1h = %v, want %v", got, want)
		}
		h.advance(time.Hour)
		h.leave("G1", 1, "ben")
		if got, want := h.member("G1", "ben")["left_at"], h.clock.Now().Format(time.RFC3339); got != want {
			t.Errorf("left_at = %v, want %v", got, want)
		}
	})
}

// TestMissedMemberEventIsReconciled: when LastMemVer is not the stored
// CurMemVer the member list is read again and the store follows it; when the
// versions chain, nothing is read.
func TestMissedMemberEventIsReconciled(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		start := h.clock.Now()
		member := func(id, name string, at time.Time, invitor string) bot.GroupMember {
			return bot.GroupMember{UserID: id, Name: name, Type: 2, JoinTime: at, Invitor: invitor}
		}
		h.api.SetGroup(bot.GroupInfo{ChatID: "G3", Members: []bot.GroupMember{
			member("ann", "安", start, ""), member("ben", "本", start, ""), member("eve", "伊芙", start, ""),
		}})
		h.memberChange(wecomtest.MemberChange{ChatID: "G3", Detail: "add_member", UserIDs: []string{"ann", "ben", "eve"},
			At: start, LastMemVer: "v0", CurMemVer: "v1"})
		h.welcomeDue()
		reads := len(h.api.CallsTo("/cgi-bin/externalcontact/groupchat/get"))

		// Meanwhile carol joined and ben left, but those events were lost.
		h.advance(time.Hour)
		h.api.SetGroup(bot.GroupInfo{ChatID: "G3", Members: []bot.GroupMember{
			member("ann", "安", start, ""), member("carol", "卡罗", start.Add(30*time.Minute), "ann"),
		}})
		h.memberChange(wecomtest.MemberChange{ChatID: "G3", Detail: "del_member", UserIDs: []string{"eve"},
			At: h.clock.Now(), LastMemVer: "v3", CurMemVer: "v4"})
		h.flush()
		if got := len(h.api.CallsTo("/cgi-bin/externalcontact/groupchat/get")); got != reads+1 {
			t.Fatalf("groupchat/get calls after a missed event = %d, want %d", got, reads+1)
		}
		carol := h.member("G3", "carol")
		if carol["name"] != "卡罗" || carol["inviter"] != "ann" || carol["joined_at"] != start.Add(30*time.Minute).Format(time.RFC3339) {
			t.Errorf("reconciled carol = %v", carol)
		}
		if ben := h.member("G3", "ben"); ben["left_at"] == nil {
			t.Errorf("ben, gone from the list, has no left_at: %v", ben)
		}
		if ann := h.member("G3", "ann"); ann["left_at"] != nil || ann["name"] != "安" {
			t.Errorf("ann = %v", ann)
		}
		status, body := h.get("/api/v1/groups")
		if status != 200 || !strings.Contains(string(body), `"chatid":"G3","name":"客户群","kind":"external","members":2`) {
			t.Errorf("groups = %d %s, want G3 with 2 members", status, body)
		}

		// A leave whose LastMemVer is the stored version reads nothing.
		h.advance(time.Minute)
		h.memberChange(wecomtest.MemberChange{ChatID: "G3", Detail: "del_member", UserIDs: []string{"carol"},
			At: h.clock.Now(), LastMemVer: "v4", CurMemVer: "v5"})
		h.flush()
		if got := len(h.api.CallsTo("/cgi-bin/externalcontact/groupchat/get")); got != reads+1 {
			t.Errorf("groupchat/get calls after a chained event = %d, want %d", got, reads+1)
		}
	})
}

func bodies(calls []wecomtest.Call) string {
	var b strings.Builder
	for _, c := range calls {
		b.WriteString("\n  " + c.Path + "?" + c.Query.Encode() + " " + string(c.Body))
	}
	return b.String()
}

// TestInviteCreditAndClawback: the inviter read back from groupchat/get is
// credited once per join; an early leave takes it back, a late one does not.
func TestInviteCreditAndClawback(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		now := h.clock.Now()
		h.api.SetGroup(bot.GroupInfo{ChatID: "G3", Members: []bot.GroupMember{
			{UserID: "sales1", Name: "销售一", Type: 1, JoinTime: now.Add(-time.Hour)},
			{UserID: "wmA", Name: "客户A", Type: 2, JoinTime: now, Invitor: "sales1"},
			{UserID: "wmB", Name: "客户B", Type: 2, JoinTime: now, Invitor: "sales1"},
		}})
		h.join("G3", 0, "wmA", "wmB")
		h.join("G3", 0, "wmA", "wmB") // redelivered
		h.welcomeDue()
		h.welcomeDue() // a second read-back credits nobody again
		if got := h.member("G3", "wmA")["inviter"]; got != "sales1" {
			t.Errorf("inviter = %v, want sales1", got)
		}
		if got := h.member("G3", "sales1")["points"]; got != 20.0 {
			t.Errorf("inviter's points after two invites = %v, want 20", got)
		}
		h.advance(24 * time.Hour)
		h.leave("G3", 0, "wmA") // within invite.clawback_within (7d)
		h.leave("G3", 0, "wmA") // redelivered
		if got := h.member("G3", "sales1")["points"]; got != 10.0 {
			t.Errorf("inviter's points after an early leave = %v, want 10", got)
		}
		h.advance(7 * 24 * time.Hour)
		h.leave("G3", 1, "wmB") // removed, but after the window
		if got := h.member("G3", "sales1")["points"]; got != 10.0 {
			t.Errorf("inviter's points after a late leave = %v, want 10", got)
		}
		status, body := h.get("/api/v1/groups/G3/ledger?userid=sales1")
		if status != 200 || strings.Count(string(body), `"kind":"invite"`) != 2 || strings.Count(string(body), `"kind":"clawback"`) != 1 {
			t.Errorf("ledger = %d %s, want two invite rows and one clawback", status, body)
		}
	})
}

// TestWelcomeWithoutTheAPI: with no app credentials nothing can be read back,
// so a join is welcomed at once, through the group's webhook.
func TestWelcomeWithoutTheAPI(t *testing.T) {
	h := newHarness(t, withEnv("QUNBOT_APP_SECRET", ""), withEnv("QUNBOT_APP_AGENT_ID", ""))
	h.join("G1", 0, "ann", "ben")
	h.flush()
	calls := h.api.CallsTo("/cgi-bin/webhook/send")
	if len(calls) != 1 || !containsAll(string(calls[0].Body), "欢迎 ann、ben 加入产品交流群", `"mentioned_list":["ann","ben"]`) {
		t.Errorf("welcome without the API = %s", bodies(calls))
	}
	if n := len(h.api.CallsTo("/cgi-bin/externalcontact/groupchat/get")); n != 0 {
		t.Errorf("groupchat/get called %d times with the API off", n)
	}
}
