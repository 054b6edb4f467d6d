package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
)

type modlogEntry struct {
	ID                                      int64
	Action, Actor, Target, Reason, Evidence string
	CreatedAt                               *string `json:"created_at"`
}

// modlog reads a group's modlog through the admin API, newest first.
func (h *harness) modlog(chatID string) []modlogEntry {
	h.t.Helper()
	status, body := h.get("/api/v1/groups/" + chatID + "/modlog")
	if status != 200 {
		h.t.Fatalf("modlog status %d: %s", status, body)
	}
	var out struct{ Entries []modlogEntry }
	if err := json.Unmarshal(body, &out); err != nil {
		h.t.Fatal(err)
	}
	return out.Entries
}

// memberJSON reads one member through the admin API.
func (h *harness) memberJSON(chatID, userID string) map[string]any {
	h.t.Helper()
	status, body := h.get("/api/v1/groups/" + chatID + "/members/" + userID)
	if status != 200 {
		h.t.Fatalf("member status %d: %s", status, body)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		h.t.Fatal(err)
	}
	return m
}

func modActions(entries []modlogEntry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[len(entries)-1-i] = e.Action // oldest first
	}
	return out
}

func TestModerationRemovesFromAppChat(t *testing.T) { eachBackend(t, testModerationRemovesFromAppChat) }

func testModerationRemovesFromAppChat(t *testing.T, h *harness) {
	h.api.SetGroup(bot.GroupInfo{ChatID: "G2", Owner: "owner1", Members: []bot.GroupMember{{UserID: "owner1"}, {UserID: "bob"}}})
	contains(t, h.say("G2", "owner1", "/banword add 加微信"), "已添加")
	contains(t, h.say("G2", "bob", "有需要的加微信"), "@bob", "违禁词「加微信」", "警告1/3")
	contains(t, h.say("G2", "bob", "加 微 信 送礼品"), "禁言10分钟", "警告2/3")
	h.advance(11 * time.Minute)
	contains(t, h.say("G2", "bob", "ＶＸ加微信"), "已移出群聊", "警告3/3")
	h.flush()
	calls := h.api.CallsTo("/cgi-bin/appchat/update")
	if len(calls) != 1 || !slices.Equal(strs(calls[0].JSON()["del_user_list"]), []string{"bob"}) {
		t.Fatalf("appchat/update calls = %v, want one removing bob", calls)
	}
	if g, _ := h.api.Group("G2"); slices.ContainsFunc(g.Members, func(m bot.GroupMember) bool { return m.UserID == "bob" }) {
		t.Error("bob is still in G2 at WeCom")
	}
	got := modActions(h.modlog("G2"))
	if want := []string{"warn", "mute", "remove"}; !slices.Equal(got, want) {
		t.Errorf("modlog = %v, want %v", got, want)
	}
	e := h.modlog("G2")[0]
	if e.Actor != "qunbot" || e.Target != "bob" || e.Evidence != "ＶＸ加微信" || e.CreatedAt == nil {
		t.Errorf("remove entry = %+v, want actor qunbot, target bob, the message as evidence, a time", e)
	}
}

func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

func TestModerationRemovalCardInInternalGroup(t *testing.T) {
	eachBackend(t, testModerationRemovalCardInInternalGroup)
}

func testModerationRemovalCardInInternalGroup(t *testing.T, h *harness) {
	h.say("G4", "owner1", "/banword add /v[x信]\\d{5,}/")
	contains(t, h.say("G4", "owner1", "/banword add /(unclosed/"), "无法使用", "语法错误")
	for i := 1; i <= 3; i++ {
		contains(t, h.say("G4", "bob", fmt.Sprintf("加V信%d0000", i)), fmt.Sprintf("警告%d/3", i))
		h.advance(11 * time.Minute)
	}
	h.flush()
	var card map[string]any
	for _, c := range h.api.CallsTo("/cgi-bin/message/send") {
		if body := c.JSON(); body["msgtype"] == "template_card" {
			card = body
		}
	}
	if card == nil || card["touser"] != "owner1" {
		t.Fatalf("removal card = %v, want one to owner1", card)
	}
	tc := card["template_card"].(map[string]any)
	buttons := tc["button_list"].([]any)
	removeKey := buttons[0].(map[string]any)["key"].(string)
	if !strings.HasPrefix(removeKey, "remove:") {
		t.Fatalf("first button key = %q, want remove:<id>", removeKey)
	}
	h.click("bob", removeKey, tc["task_id"].(string)) // not staff: refused and logged
	h.click("owner1", removeKey, tc["task_id"].(string))
	h.click("owner1", removeKey, tc["task_id"].(string)) // WeCom retries or a second tap: no second decision
	h.flush()
	got := modActions(h.modlog("G4"))
	if want := []string{"warn", "mute", "remove_requested", "denied", "remove_decided"}; !slices.Equal(got, want) {
		t.Fatalf("modlog = %v, want %v", got, want)
	}
	if d := h.modlog("G4")[0]; d.Actor != "owner1" || d.Target != "bob" || !strings.HasPrefix(d.Reason, "remove") {
		t.Errorf("decision = %+v, want owner1 deciding remove of bob", d)
	}
	var notice string
	for _, c := range h.api.CallsTo("/cgi-bin/message/send") {
		if text, ok := c.JSON()["text"].(map[string]any); ok {
			notice = fmt.Sprint(text["content"])
		}
	}
	contains(t, notice, "已记录：owner1 决定移出 bob，原因：违禁词", "。请群主或管理员在群聊中手动移出 bob。")
	if strings.Contains(notice, "企业微信") || strings.Contains(notice, "还剩") {
		t.Errorf("decision notice = %q, want no platform excuse and no countdown", notice)
	}
	if n := len(h.api.CallsTo("/cgi-bin/appchat/update")); n != 0 {
		t.Errorf("appchat/update calls in an internal group = %d, want 0", n)
	}
}

func TestWarningsExpire(t *testing.T) { eachBackend(t, testWarningsExpire) }

func testWarningsExpire(t *testing.T, h *harness) {
	h.say("G1", "owner1", "/banword add 刷单")
	contains(t, h.say("G1", "bob", "刷单兼职"), "警告1/3")
	if w := h.memberJSON("G1", "bob")["warnings"]; w != 1.0 {
		t.Errorf("warnings = %v, want 1", w)
	}
	h.advance(30*24*time.Hour + time.Minute)
	if w := h.memberJSON("G1", "bob")["warnings"]; w != 0.0 {
		t.Errorf("warnings after the window = %v, want 0", w)
	}
	contains(t, h.say("G1", "bob", "刷单兼职"), "警告1/3")
}

func TestMutedMembersAreRefusedAndEscalate(t *testing.T) {
	eachBackend(t, testMutedMembersAreRefusedAndEscalate)
}

func testMutedMembersAreRefusedAndEscalate(t *testing.T, h *harness) {
	h.say("G1", "bob", "帮助") // bob is known in the group
	contains(t, h.say("G1", "owner1", "/mute bob 1h 骚扰"), "禁言1小时", "骚扰")
	m := h.memberJSON("G1", "bob")
	if m["muted_until"] == nil {
		t.Fatalf("muted_until = nil after /mute")
	}
	contains(t, h.say("G1", "bob", "签到"), "禁言中", "还剩1小时", "帮助")
	if got, want := h.say("G1", "bob", "帮助"), "你正在禁言中，还剩1小时；禁言期间只能使用：\n• 帮助 — 查看你可以使用的命令\n• 规则 — 查看本群群规"; got != want {
		t.Errorf("帮助 while muted = %q, want %q", got, want)
	}
	contains(t, h.say("G1", "bob", "规则"), "群规")
	if got, want := h.say("G1", "bob", "凭什么禁言我"), "⚠️ @bob：禁言期间发言，予以警告。累计警告1/3"; got != want {
		t.Errorf("muted speech = %q, want %q (no countdown in a reason)", got, want)
	}
	contains(t, h.say("G1", "bob", "再说一句"), "警告2/3")
	contains(t, h.say("G1", "bob", "还说"), "已提请群主和管理员移出", "警告3/3")
	h.flush()
	if n := webhookNoticesNaming(h, "bob"); n != 0 {
		t.Errorf("%d webhook notices naming bob after in-group actions, want 0: their replies said it in the group", n)
	}
	// from the 1:1 chat with the app the group has not seen it: it is posted
	contains(t, h.dm("owner1", "/in G1 /unmute bob"), "已解除禁言")
	h.flush()
	if n := webhookNoticesNaming(h, "bob"); n != 1 {
		t.Errorf("%d webhook notices naming bob after /unmute from the app chat, want 1", n)
	}
	if m := h.memberJSON("G1", "bob"); m["muted_until"] != nil || m["warnings"] != 3.0 || m["points"] != 0.0 {
		t.Errorf("after /unmute: muted_until %v warnings %v points %v, want null, 3 and nothing earned while muted",
			m["muted_until"], m["warnings"], m["points"])
	}
}

func TestShadowModeRecordsWithoutActing(t *testing.T) {
	eachBackend(t, testShadowModeRecordsWithoutActing)
}

func testShadowModeRecordsWithoutActing(t *testing.T, h *harness) {
	h.api.SetGroup(bot.GroupInfo{ChatID: "G2", Owner: "owner1", Members: []bot.GroupMember{{UserID: "bob"}}})
	h.say("G2", "owner1", "/banword add 博彩")
	contains(t, h.say("G2", "owner1", "/config moderation.mode shadow"), "shadow")
	for i := 0; i < 3; i++ {
		if got := h.say("G2", "bob", "博彩网站"); strings.Contains(got, "警告") {
			t.Errorf("shadow reply = %q, want no warning", got)
		}
	}
	h.flush()
	if n := len(h.api.CallsTo("/cgi-bin/appchat/update")); n != 0 {
		t.Errorf("appchat/update calls in shadow mode = %d, want 0", n)
	}
	if m := h.memberJSON("G2", "bob"); m["muted_until"] != nil || m["warnings"] != 0.0 {
		t.Errorf("shadow member = %v, want unmuted with no warnings", m)
	}
	entries := h.modlog("G2")
	if got := modActions(entries); !slices.Equal(got, []string{"shadow", "shadow", "shadow"}) {
		t.Fatalf("modlog = %v, want three shadow rows", got)
	}
	contains(t, entries[0].Reason, "将移出")
	contains(t, entries[1].Reason, "将禁言10分钟")
}

func TestNonAdminsAreRefusedEveryModerationCommand(t *testing.T) {
	eachBackend(t, testNonAdminsAreRefusedEveryModerationCommand)
}

func testNonAdminsAreRefusedEveryModerationCommand(t *testing.T, h *harness) {
	cmds := []string{"/warn amy 刷屏", "/unwarn amy", "/warnings amy", "/mute amy 10m", "/unmute amy",
		"/kick amy", "/banword add 广告", "/banword list", "/approve amy", "/unapprove amy"}
	for _, c := range cmds {
		if got := h.say("G1", "bob", c); got != "无权限" {
			t.Errorf("%s by a member = %q, want 无权限", c, got)
		}
	}
	entries := h.modlog("G1")
	if len(entries) != len(cmds) {
		t.Fatalf("modlog has %d entries, want %d denied", len(entries), len(cmds))
	}
	for i, e := range entries {
		if c := cmds[len(cmds)-1-i]; e.Action != "denied" || e.Actor != "bob" || e.Evidence != c {
			t.Errorf("entry %d = %+v, want bob denied for %q", i, e, c)
		}
	}
	if m := h.memberJSON("G1", "bob"); m["warnings"] != 0.0 {
		t.Errorf("warnings after refusals = %v, want 0", m["warnings"])
	}
}

func TestRetriedOffenceCountsOnce(t *testing.T) { eachBackend(t, testRetriedOffenceCountsOnce) }

func testRetriedOffenceCountsOnce(t *testing.T, h *harness) {
	h.say("G1", "owner1", "/banword add 代开发票")
	first := h.sayID("m-ad", "G1", "bob", "代开发票找我")
	contains(t, first, "警告1/3")
	if again := h.sayID("m-ad", "G1", "bob", "代开发票找我"); again != first {
		t.Errorf("retry reply = %q, want %q", again, first)
	}
	if w := h.memberJSON("G1", "bob")["warnings"]; w != 1.0 {
		t.Errorf("warnings after a retried delivery = %v, want 1", w)
	}
	if n := len(h.modlog("G1")); n != 1 {
		t.Errorf("modlog rows = %d, want 1", n)
	}
}

func TestAdminsAndApprovedMembersAreNeverCaught(t *testing.T) {
	eachBackend(t, testAdminsAndApprovedMembersAreNeverCaught)
}

func testAdminsAndApprovedMembersAreNeverCaught(t *testing.T, h *harness) {
	h.say("G1", "owner1", "/banword add 红包")
	h.say("G1", "vip", "帮助") // vip is known in the group
	contains(t, h.say("G1", "owner1", "/approve vip"), "已豁免")
	for _, u := range []string{"owner1", "boss", "vip"} {
		if got := h.say("G1", u, "发红包啦"); strings.Contains(got, "警告") {
			t.Errorf("%s caught: %q", u, got)
		}
	}
	if got := h.say("G1", "owner1", "/warn boss"); !strings.Contains(got, "管理员") {
		t.Errorf("/warn of an admin = %q, want a refusal", got)
	}
	if n := len(h.modlog("G1")); n != 0 {
		t.Errorf("modlog rows = %d, want 0", n)
	}
}

// webhookNoticesNaming counts webhook posts that @ userID.
func webhookNoticesNaming(h *harness, userID string) int {
	n := 0
	for _, c := range h.api.CallsTo("/cgi-bin/webhook/send") {
		text, _ := c.JSON()["text"].(map[string]any)
		if slices.Contains(strs(text["mentioned_list"]), userID) {
			n++
		}
	}
	return n
}
