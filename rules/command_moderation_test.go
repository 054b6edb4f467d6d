package rules

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
)

func TestManualModeration(t *testing.T) {
	env := newModEnv(t, map[string]string{"webhook_key": "hook"})
	steps := []struct {
		from, text string
		want       []string
		modlog     string // the modlog action the step writes; "" none
	}{
		{"owner1", "/warn amy 刷屏", []string{"找不到成员「amy」"}, ""},
		{"amy", "早", nil, ""}, // amy is now known in the group
		{"bob", "/warn amy 刷屏", []string{"无权限"}, ModDenied},
		{"owner1", "/warn owner1", []string{"管理员"}, ""},
		{"owner1", "/warn amy 刷屏", []string{"@amy：刷屏", "警告1/3"}, ModWarn},
		{"owner1", "/warnings amy", []string{"1/3", "刷屏"}, ""},
		{"owner1", "/unwarn amy", []string{"已撤销", "0/3"}, ModUnwarn},
		{"owner1", "/unwarn amy", []string{"没有有效警告"}, ""},
		{"owner1", "/mute amy 2h 广告", []string{"禁言2小时", "广告"}, ModMute},
		{"owner1", "/mute amy soon", []string{"用法"}, ""},
		{"owner1", "/unmute amy", []string{"已解除禁言"}, ModUnmute},
		{"owner1", "/unmute amy", []string{"没有被禁言"}, ""},
		{"owner1", "/kick amy 骚扰", []string{"已提请群主和管理员移出", "骚扰"}, ModRemoveRequested},
		{"owner1", "/banword add /(abc/", []string{"无法使用", "语法错误"}, ""},
		{"owner1", "/banword add /a{900}b{900}c{900}/", []string{"太复杂"}, ""},
		{"owner1", "/banword add 加微信", []string{"已添加"}, ""},
		{"owner1", "/banword list", []string{"加微信"}, ""},
		{"amy", "加微信吧", []string{"违禁词"}, ""},
		{"owner1", "/banword del 加微信", []string{"已删除"}, ""},
		{"carl", "加微信吧", nil, ""},
		{"owner1", "/approve carl", []string{"已豁免"}, ""},
	}
	for _, s := range steps {
		before := len(env.f.modlog)
		got := env.say(s.from, s.text)
		if s.want == nil && got != "" {
			t.Errorf("%s %q: reply %q, want none", s.from, s.text, got)
		}
		wantContains(t, s.text, got, s.want...)
		var added []string
		for _, e := range env.f.modlog[before:] {
			added = append(added, e.Action)
		}
		if s.modlog != "" && !slices.Contains(added, s.modlog) || s.modlog == "" && len(added) > 0 && s.from == "owner1" {
			t.Errorf("%q: modlog rows %v, want %q", s.text, added, s.modlog)
		}
		env.now = env.now.Add(time.Second)
	}
	if !env.member("carl").Approved {
		t.Error("carl not approved")
	}
	var posts int
	for _, a := range env.f.outbox {
		if a.Kind == bot.ActWebhookSend && slices.Equal(a.Mentions, []string{"amy"}) {
			posts++
		}
	}
	if posts != 0 {
		t.Errorf("webhook notices naming amy = %d, want none: each action's reply already said it in the group", posts)
	}
}

// Ids longer than WeCom's (and the database columns') 64 characters are a
// typo to tell the admin about, not a failed turn.
func TestOverlongIDsAreUserErrors(t *testing.T) {
	env := newModEnv(t, nil)
	long := strings.Repeat("x", 65)
	wantContains(t, "/warn of a long id", env.say("owner1", "/warn "+long+" 刷屏"), "找不到成员")
	if len(env.f.violations) != 0 {
		t.Errorf("violations = %d, want none", len(env.f.violations))
	}
	got := bot.Reply(env.send(bot.Event{Channel: bot.ChannelApp, Kind: bot.KindMessage, From: "boss",
		MsgType: "text", Text: "/in " + long + " /config"}))
	wantContains(t, "/in a long group id", got, "群ID")
}

// An admin who is not the owner may not change owner, kind or webhook_key:
// the refusal is 无权限 and, like every refusal, a modlog row.
func TestOwnerOnlySettingRefusalIsLogged(t *testing.T) {
	env := newModEnv(t, nil)
	env.f.admins["amy"] = true
	if got := env.say("amy", "/config kind appchat"); got != denied {
		t.Fatalf("admin's /config kind = %q, want %q", got, denied)
	}
	if got := env.f.modlogActions(); !slices.Equal(got, []string{ModDenied}) {
		t.Errorf("modlog = %v, want one denied row", got)
	}
	if _, ok := env.f.overrides["kind"]; ok {
		t.Error("kind was changed")
	}
	for _, who := range []string{"amy", "bob"} { // an admin, a member
		env.say(who, "/config webhook_key s3cr3t-hook")
	}
	for _, e := range env.f.modlog {
		if strings.Contains(e.Evidence, "s3cr3t-hook") {
			t.Errorf("modlog evidence %q keeps the webhook key", e.Evidence)
		}
	}
	if n := len(env.f.modlog); n != 3 {
		t.Errorf("modlog rows = %d, want 3 refusals", n)
	}
}
