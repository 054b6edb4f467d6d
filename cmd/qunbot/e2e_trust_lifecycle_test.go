package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// boardUsers is who the admin API's leaderboard of a period lists.
func (h *harness) boardUsers(chatID, period string) []string {
	h.t.Helper()
	status, body := h.get("/api/v1/groups/" + chatID + "/leaderboard?period=" + period)
	if status != http.StatusOK {
		h.t.Fatalf("leaderboard %s: %d %s", period, status, body)
	}
	var out struct {
		Entries []struct{ UserID string } `json:"entries"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		h.t.Fatal(err)
	}
	users := make([]string, len(out.Entries))
	for i, e := range out.Entries {
		users[i] = e.UserID
	}
	return users
}

// TestLeaversDropOffLeaderboards: a member who left is on no leaderboard
// period (排行 and the API) until they come back; their ledger stays.
func TestLeaversDropOffLeaderboards(t *testing.T) { eachBackend(t, testLeaversDropOffLeaderboards) }

func testLeaversDropOffLeaderboards(t *testing.T, h *harness) {
	h.say("G1", "bob", "签到")
	h.say("G1", "owner1", "/givepoints bob +50")
	h.say("G1", "carol", "签到")
	contains(t, h.say("G1", "carol", "排行"), "1. bob")
	h.advance(time.Minute)
	h.leave("G1", 0, "bob")
	for _, period := range []string{"day", "week", "month", "all"} {
		got := h.say("G1", "carol", "/top "+period)
		if strings.Contains(got, "bob") {
			t.Errorf("/top %s after bob left = %q", period, got)
		}
		contains(t, got, "1. carol")
		for _, u := range h.boardUsers("G1", period) {
			if u == "bob" {
				t.Errorf("leaderboard API %s lists bob after he left", period)
			}
		}
	}
	contains(t, h.say("G1", "carol", "积分"), "总榜排名：第1名")
	if p := h.pointsOf("G1", "bob"); p != 55 {
		t.Errorf("bob's points after leaving = %d, want 55 (the ledger stays)", p)
	}
	h.advance(time.Minute)
	h.join("G1", 0, "bob")
	contains(t, h.say("G1", "carol", "排行"), "1. bob")
	if users := h.boardUsers("G1", "all"); len(users) == 0 || users[0] != "bob" {
		t.Errorf("all-time board after bob came back = %v, want bob first", users)
	}
}

// TestJoinOfACurrentMember: a join event for someone already in the group is
// not a join (no welcome, no second invite credit), and a title lost by a
// clawback and earned again is not congratulated twice.
func TestJoinOfACurrentMember(t *testing.T) {
	eachBackend(t, testJoinOfACurrentMember, withYAML(levelsYAML))
}

const levelsYAML = `
admins: [boss]
groups:
  G1: {kind: internal, name: 产品交流群, owner: owner1, webhook_key: hook-g1, levels: "0 新人, 10 达人"}
`

// salesInvitesBob: bob joins G1 on sales1's invitation and is welcomed.
func salesInvitesBob(h *harness) {
	now := h.clock.Now()
	h.api.SetUser("sales1", "销售一")
	h.api.SetGroup(bot.GroupInfo{ChatID: "G1", Members: []bot.GroupMember{
		{UserID: "sales1", Name: "销售一", Type: 1, JoinTime: now.Add(-time.Hour)},
		{UserID: "bob", Name: "鲍勃", Type: 1, JoinTime: now, Invitor: "sales1"},
	}})
	h.join("G1", 0, "bob")
	h.welcomeDue()
}

func testJoinOfACurrentMember(t *testing.T, h *harness) {
	salesInvitesBob(h)
	h.advance(time.Hour)
	h.join("G1", 0, "bob") // bob is in the group already
	h.welcomeDue()
	if n := len(h.callsMentioning("/cgi-bin/webhook/send", "欢迎")); n != 1 {
		t.Errorf("welcomes = %d, want 1", n)
	}
	if p := h.pointsOf("G1", "sales1"); p != 10 {
		t.Errorf("inviter's points = %d, want 10 (one invite)", p)
	}
}

// TestRegainedTitleIsNotCongratulatedTwice: an inviter's title taken away by
// a clawback and earned again is congratulated once.
func TestRegainedTitleIsNotCongratulatedTwice(t *testing.T) {
	eachBackend(t, testRegainedTitle, withYAML(levelsYAML))
}

func testRegainedTitle(t *testing.T, h *harness) {
	salesInvitesBob(h)
	h.advance(time.Hour)
	h.leave("G1", 0, "bob") // early: the credit is taken back, and the title with it
	if p := h.pointsOf("G1", "sales1"); p != 0 {
		t.Errorf("inviter's points after the clawback = %d, want 0", p)
	}
	contains(t, h.say("G1", "owner1", "/givepoints sales1 +10 活动"), "+10")
	h.flush()
	if n := len(h.callsMentioning("/cgi-bin/webhook/send", "恭喜", "达人")); n != 1 {
		t.Errorf("congratulations = %d, want 1: %s", n, bodies(h.api.CallsTo("/cgi-bin/webhook/send")))
	}
}

// TestExternalWelcomeTemplateFollowsTheWelcome: in a customer group a new
// /welcome edits the group welcome template instead of adding another, and
// /welcome off withdraws it.
func TestExternalWelcomeTemplateFollowsTheWelcome(t *testing.T) {
	eachBackend(t, testExternalWelcomeTemplate)
}

func testExternalWelcomeTemplate(t *testing.T, h *harness) {
	const base = "/cgi-bin/externalcontact/group_welcome_template/"
	h.say("G3", "owner1", "/welcome 欢迎 {name}")
	h.flush()
	adds := h.api.CallsTo(base + "add")
	if len(adds) != 1 {
		t.Fatalf("template adds = %d, want 1", len(adds))
	}
	h.say("G3", "owner1", "/welcome 你好 {name}，请看群规")
	h.flush()
	edits := h.api.CallsTo(base + "edit")
	if n := len(h.api.CallsTo(base + "add")); n != 1 || len(edits) != 1 {
		t.Fatalf("after a second /welcome: %d adds and %d edits, want 1 and 1", n, len(edits))
	}
	id := edits[0].JSON()["template_id"]
	if id == nil || !strings.Contains(string(edits[0].Body), "你好 %NICKNAME%") {
		t.Errorf("edit = %s, want the new text under the added template id", edits[0].Body)
	}
	h.join("G3", 0, "wmNew") // welcoming a newcomer keeps the same template
	h.welcomeDue()
	if n := len(h.api.CallsTo(base+"add")) + len(h.api.CallsTo(base+"edit")); n != 2 {
		t.Errorf("template calls after a welcome = %d, want still 2", n)
	}
	h.say("G3", "owner1", "/welcome off")
	h.flush()
	dels := h.api.CallsTo(base + "del")
	if len(dels) != 1 || dels[0].JSON()["template_id"] != id {
		t.Fatalf("template withdrawals = %s, want one of %v", bodies(dels), id)
	}
	if tpl := h.api.Templates(); len(tpl) != 0 {
		t.Errorf("templates at WeCom after /welcome off = %v, want none", tpl)
	}
	h.say("G3", "owner1", "/welcome 再次欢迎 {name}")
	h.flush()
	if n := len(h.api.CallsTo(base + "add")); n != 2 {
		t.Errorf("template adds after the welcome came back = %d, want 2", n)
	}
}
