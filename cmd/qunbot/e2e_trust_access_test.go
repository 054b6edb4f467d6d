package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// trustYAML: G3 is a customer group with a cheap shop item, so a refused
// /in can be told from one that spent points.
const trustYAML = `
admins: [boss]
groups:
  G1: {kind: internal, name: 产品交流群, owner: owner1, webhook_key: hook-g1}
  G2: {kind: appchat, name: 项目群, owner: owner1}
  G3: {kind: external, name: 客户群, owner: owner1, shop: "贴纸:1"}
  G4: {kind: internal, name: 内部群, owner: owner1}
`

// groupIDs lists the chat ids of the admin API's group list.
func (h *harness) groupIDs() []string {
	h.t.Helper()
	status, body := h.get("/api/v1/groups")
	if status != http.StatusOK {
		h.t.Fatalf("groups: %d %s", status, body)
	}
	var out struct {
		Groups []struct {
			ChatID string `json:"chatid"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		h.t.Fatal(err)
	}
	ids := make([]string, len(out.Groups))
	for i, g := range out.Groups {
		ids[i] = g.ChatID
	}
	return ids
}

// status reads an admin API path's status only.
func (h *harness) status(path string) int {
	h.t.Helper()
	status, _ := h.get(path)
	return status
}

// TestInIsScoped: /in names a group qunbot knows; member commands need
// membership of it and admin commands adminship. A refusal records nothing
// but a denied modlog row in a group that exists.
func TestInIsScoped(t *testing.T) { eachBackend(t, testInIsScoped, withYAML(trustYAML)) }

func testInIsScoped(t *testing.T, h *harness) {
	h.say("G3", "bob", "大家好") // bob is a member of G3
	for _, cmd := range []string{"签到", "兑换 贴纸", "排行"} {
		got := h.dm("stranger", "/in G3 "+cmd)
		contains(t, got, "不是", "成员")
		if strings.Contains(got, "签到成功") || strings.Contains(got, "兑换成功") || strings.Contains(got, "积分排行") {
			t.Errorf("/in G3 %s by a stranger = %q, want a refusal", cmd, got)
		}
	}
	contains(t, h.dm("stranger", "/in G3 hello"), "/in")
	if got := h.dm("stranger", "/in spam01 签到"); !strings.Contains(got, "spam01") || strings.Contains(got, "签到成功") {
		t.Errorf("/in spam01 = %q, want an unknown-group reply", got)
	}
	if got := h.dm("boss", "/in spam02 /config checkin.points 1"); strings.Contains(got, "已将") {
		t.Errorf("/in spam02 /config by a global admin = %q, want an unknown-group reply", got)
	}
	if got := h.dm("bob", "/in G3 /warn stranger"); got != "无权限" {
		t.Errorf("member's /in G3 /warn = %q, want 无权限", got)
	}

	for _, id := range h.groupIDs() {
		if strings.HasPrefix(id, "spam") {
			t.Errorf("group %s was recorded by a refused /in", id)
		}
	}
	if s := h.status("/api/v1/groups/G3/members/stranger"); s != http.StatusNotFound {
		t.Errorf("stranger's member status in G3 = %d, want 404", s)
	}
	if l := h.ledgerOf("G3", "stranger"); len(l) != 0 {
		t.Errorf("stranger's ledger in G3 = %v, want none", l)
	}
	denied := 0
	for _, e := range h.modlog("G3") {
		if e.Action != "denied" {
			t.Errorf("modlog row %+v, want only denied rows", e)
		}
		denied++
	}
	if denied != 4 { // three member commands and bob's /warn
		t.Errorf("denied rows in G3 = %d, want 4", denied)
	}
	if s := h.status("/api/v1/groups/spam01/modlog"); s == http.StatusOK {
		if rows := h.modlog("spam01"); len(rows) != 0 {
			t.Errorf("modlog of an unknown group = %+v, want none", rows)
		}
	}

	// A member acts in their own group from the 1:1 chat; an admin manages it.
	contains(t, h.dm("bob", "/in G3 签到"), "签到成功")
	contains(t, h.dm("owner1", "/in G3 /warnings bob"), "有效警告0/3")
}

// TestNamesMustBeReal: a bare userid or @name must be known in the group
// (seen, in its member list, or in the address book); an unknown one is a
// clear reply and records nothing. A member known from the address book who
// never spoke in the group is real: warning them creates their member row.
func TestNamesMustBeReal(t *testing.T) { eachBackend(t, testNamesMustBeReal) }

func testNamesMustBeReal(t *testing.T, h *harness) {
	h.say("G1", "bob", "大家好")
	h.say("G1", "owner1", "帮助")
	statsBefore := h.statsBody("G1", "?days=7")["members"]
	for _, cmd := range []string{"/warn 鲍勃 广告", "/mute nobody 1h", "/givepoints ghost +5", "/kick @无名氏", "/admin add ghost2"} {
		got := h.say("G1", "owner1", cmd)
		contains(t, got, "找不到成员")
	}
	for _, u := range []string{"鲍勃", "nobody", "ghost", "ghost2"} {
		if s := h.status("/api/v1/groups/G1/members/" + u); s != http.StatusNotFound {
			t.Errorf("member %s status = %d, want 404", u, s)
		}
	}
	if rows := h.modlog("G1"); len(rows) != 0 {
		t.Errorf("modlog after unknown names = %+v, want none", rows)
	}
	if got := h.statsBody("G1", "?days=7")["members"]; got != statsBefore {
		t.Errorf("stats members = %v, want %v as before", got, statsBefore)
	}

	// u9 spoke in another group, so the address book knows them.
	h.api.SetUser("u9", "小九")
	h.say("G2", "u9", "在吗")
	h.flush()
	contains(t, h.say("G1", "owner1", "/warn u9 广告"), "警告1/3")
	if w := h.memberJSON("G1", "u9")["warnings"]; w != 1.0 {
		t.Errorf("u9's warnings in the member API = %v, want 1", w)
	}
	contains(t, h.say("G1", "owner1", "/warnings u9"), "有效警告1/3")
	contains(t, h.say("G1", "owner1", "/givepoints @小九 +3 欢迎"), "小九", "+3")
	if p := h.pointsOf("G1", "u9"); p != 3 {
		t.Errorf("u9's points = %d, want 3", p)
	}
}

// TestEmptySenderRefused: a group message without from.userid is answered
// with an empty 200, counted, and credits nobody.
func TestEmptySenderRefused(t *testing.T) { eachBackend(t, testEmptySenderRefused) }

func testEmptySenderRefused(t *testing.T, h *harness) {
	plain, _ := json.Marshal(map[string]any{
		"msgid": "no-sender-1", "aibotid": "qunbot-aibot", "chatid": "G1", "chattype": "group",
		"from": map[string]string{"userid": ""}, "create_time": h.clock.Now().Unix(),
		"msgtype": "text", "text": map[string]string{"content": "@qunbot 签到"},
	})
	r, err := h.send.AIBotJSON(context.Background(), plain)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != http.StatusOK || len(r.Body) != 0 {
		t.Fatalf("message without a sender = %d %q, want an empty 200", r.Status, r.Body)
	}
	if l := h.ledgerOf("G1", ""); len(l) != 0 {
		t.Errorf("ledger of G1 = %v, want nothing credited", l)
	}
	resp, err := http.Get(h.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	metrics, _ := io.ReadAll(resp.Body)
	contains(t, string(metrics), `qunbot_callbacks_total{endpoint="aibot",outcome="no_sender"} 1`)
}
