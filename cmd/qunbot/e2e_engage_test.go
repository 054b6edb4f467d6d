package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// engageYAML: G1 posts through a webhook, G4 has no webhook (posts go to staff).
const engageYAML = `
admins: [boss]
groups:
  G1: {kind: internal, name: 产品交流群, owner: owner1, webhook_key: hook-g1, shop: "贴纸:20, 咖啡券:30:1, 周边:5:5:1"}
  G4: {kind: internal, name: 内部群, owner: owner1, message: {daily_cap: 3}, levels: "0 新人, 10 活跃成员, 100 骨干"}
`

// ledgerJSON reads the admin API ledger of one member.
func (h *harness) ledgerOf(chatID, userID string) []map[string]any {
	h.t.Helper()
	status, body := h.get("/api/v1/groups/" + chatID + "/ledger?userid=" + userID)
	if status != http.StatusOK {
		h.t.Fatalf("ledger: %d %s", status, body)
	}
	var out struct{ Entries []map[string]any }
	if err := json.Unmarshal(body, &out); err != nil {
		h.t.Fatal(err)
	}
	return out.Entries
}

// pointsOf reads a member's points from the admin API and checks they equal
// the sum of the member's ledger rows.
func (h *harness) pointsOf(chatID, userID string) int {
	h.t.Helper()
	status, body := h.get("/api/v1/groups/" + chatID + "/members/" + userID)
	if status != http.StatusOK {
		h.t.Fatalf("member: %d %s", status, body)
	}
	var m struct{ Points int }
	if err := json.Unmarshal(body, &m); err != nil {
		h.t.Fatal(err)
	}
	sum := 0
	for _, e := range h.ledgerOf(chatID, userID) {
		sum += int(e["delta"].(float64))
	}
	if sum != m.Points {
		h.t.Errorf("%s: points %d, sum of ledger %d", userID, m.Points, sum)
	}
	return m.Points
}

func TestE2ECheckinStreakAndMakeup(t *testing.T) {
	h := newHarness(t, withYAML(engageYAML))
	day := 24 * time.Hour
	contains(t, h.say("G1", "alice", "签到"), "+5", "连续1天", "当前积分5")
	contains(t, h.say("G1", "alice", "签到"), "今天已签到")
	h.advance(day)
	contains(t, h.say("G1", "alice", "签到"), "+6", "连续2天", "当前积分11")
	h.advance(day) // Monday
	contains(t, h.say("G1", "alice", "/checkin"), "+7", "连续3天")
	h.advance(2 * day) // Tuesday missed
	contains(t, h.say("G1", "alice", "补签"), "积分不足")
	contains(t, h.say("G1", "boss", "/givepoints alice +30 活动奖励"), "+30")
	contains(t, h.say("G1", "alice", "补签"), "补签成功", "连续4天")
	contains(t, h.say("G1", "alice", "签到"), "+9", "连续5天")
	h.advance(2 * day) // Thursday missed
	contains(t, h.say("G1", "boss", "/givepoints alice -30 测试"), "-30")
	// short of points and already made up this week: the week is the reason
	contains(t, h.say("G1", "alice", "补签"), "本周已经补签过")
	contains(t, h.say("G1", "boss", "/givepoints alice +30 退回"), "+30")
	contains(t, h.say("G1", "alice", "签到"), "连续1天")
	if got, want := h.pointsOf("G1", "alice"), 5+6+7+30-20+9-30+30+5; got != want {
		t.Errorf("points = %d, want %d", got, want)
	}
	status, body := h.get("/api/v1/groups/G1/members/alice")
	if status != http.StatusOK || !strings.Contains(string(body), `"checkin_streak":1`) ||
		!strings.Contains(string(body), `"last_checkin_day":"2026-11-27"`) {
		t.Errorf("member view = %d %s", status, body)
	}
}

func TestE2EMessagePointsCooldownCapAndLevelUp(t *testing.T) {
	h := newHarness(t, withYAML(engageYAML))
	for i := range 4 { // within one cooldown: one point
		h.say("G4", "bob", fmt.Sprint("早上好 ", i))
		h.advance(10 * time.Second)
	}
	if got := h.pointsOf("G4", "bob"); got != 1 {
		t.Errorf("points within the cooldown = %d, want 1", got)
	}
	for range 5 { // daily cap of 3
		h.advance(time.Minute)
		h.say("G4", "bob", "聊天")
	}
	if got := h.pointsOf("G4", "bob"); got != 3 {
		t.Errorf("points at the daily cap = %d, want 3", got)
	}
	// Crossing 10 with a check-in (3 + 7 ... the 5 of a first check-in is not enough).
	h.say("G4", "boss", "/givepoints bob +2")
	contains(t, h.say("G4", "bob", "签到"), "恭喜", "活跃成员", "+5")
	contains(t, h.say("G4", "bob", "积分"), "积分：10", "活跃成员", "第1名")
	// Someone else's level-up goes to staff (G4 has no webhook) through the outbox.
	h.say("G4", "boss", "/givepoints bob +100 年度贡献")
	h.flush()
	found := false
	for _, c := range h.api.CallsTo("/cgi-bin/message/send") {
		if strings.Contains(string(c.Body), "骨干") {
			found = true
		}
	}
	if !found {
		t.Error("no level-up message to staff was sent")
	}
}

func TestE2EGivePointsDenied(t *testing.T) {
	h := newHarness(t, withYAML(engageYAML))
	contains(t, h.say("G1", "mallory", "/givepoints mallory +100"), "无权限")
	if rows := h.ledgerOf("G1", "mallory"); len(rows) != 0 {
		t.Errorf("ledger after a refused /givepoints = %v, want empty", rows)
	}
	contains(t, h.say("G1", "boss", "/givepoints mallory +x"), "+N 或 -N")
	contains(t, h.say("G1", "owner1", "/givepoints mallory +3 欢迎"), "+3")
	rows := h.ledgerOf("G1", "mallory")
	if len(rows) != 1 || rows[0]["kind"] != "grant" || rows[0]["actor"] != "owner1" || rows[0]["reason"] != "欢迎" {
		t.Errorf("ledger = %v", rows)
	}
}

func TestE2EShop(t *testing.T) {
	h := newHarness(t, withYAML(engageYAML))
	contains(t, h.say("G1", "alice", "商城"), "贴纸 — 20积分", "咖啡券 — 30积分，库存1件", "每人限兑1")
	contains(t, h.say("G1", "alice", "兑换 贴纸"), "积分不足")
	h.say("G1", "bob", "商城") // bob is known in the group before points are given to him
	for _, u := range []string{"alice", "bob"} {
		h.say("G1", "boss", "/givepoints "+u+" +50")
	}
	contains(t, h.say("G1", "alice", "兑换 咖啡券"), "兑换成功", "剩余积分20")
	contains(t, h.say("G1", "bob", "兑换咖啡券"), "已经兑完了")
	contains(t, h.say("G1", "bob", "兑换 周边"), "兑换成功")
	contains(t, h.say("G1", "bob", "兑换 周边"), "每人限兑1")
	contains(t, h.say("G1", "bob", "兑换 飞机"), "没有「飞机」")
	h.flush()
	var notes []string
	for _, c := range h.api.CallsTo("/cgi-bin/message/send") {
		if strings.Contains(string(c.Body), "兑换了") && strings.Contains(string(c.Body), "owner1") {
			notes = append(notes, string(c.Body))
		}
	}
	if len(notes) != 2 {
		t.Errorf("owner notifications = %d, want 2: %v", len(notes), notes)
	}
	if got, want := h.pointsOf("G1", "alice"), 20; got != want {
		t.Errorf("alice = %d, want %d", got, want)
	}
	if got, want := h.pointsOf("G1", "bob"), 45; got != want {
		t.Errorf("bob = %d, want %d", got, want)
	}
}

func TestE2ELeaderboardsAndWeeklyPost(t *testing.T) {
	h := newHarness(t, withYAML(engageYAML))
	for _, u := range []string{"carol", "erin"} {
		h.say("G1", u, "帮助") // known in the group before points are given to them
	}
	h.say("G1", "boss", "/givepoints carol +40") // Saturday 21 Nov, week 47
	h.say("G1", "dave", "签到")
	h.advance(24 * time.Hour) // Sunday
	h.say("G1", "boss", "/givepoints erin +20")
	h.say("G1", "boss", "/givepoints carol +100")
	contains(t, h.say("G1", "carol", "兑换 贴纸"), "兑换成功") // spending keeps the rank
	contains(t, h.say("G1", "dave", "/top day"), "今日积分排行", "1. carol 100分", "2. erin 20分")
	contains(t, h.say("G1", "dave", "排行"), "本周积分排行", "1. carol 140分 · 活跃成员", "3. dave 5分")
	contains(t, h.say("G1", "dave", "/top month"), "1. carol 140分")
	contains(t, h.say("G1", "dave", "/top all"), "总积分排行")
	status, body := h.get("/api/v1/groups/G1/leaderboard?period=week")
	if status != http.StatusOK || !strings.HasPrefix(string(body), `{"entries":[{"rank":1,"userid":"carol","name":"carol","points":140,"title":"活跃成员"}`) {
		t.Errorf("leaderboard API = %d %s", status, body)
	}
	// Monday 09:00: last week's 积分王 is posted once, through the outbox, to the webhook.
	h.setNow(time.Date(2026, 11, 23, 9, 0, 0, 0, harnessStart.Location()))
	h.tick()
	h.tick()
	h.flush()
	posts := h.api.CallsTo("/cgi-bin/webhook/send")
	var weekly []string
	for _, p := range posts {
		if strings.Contains(string(p.Body), "积分王") {
			weekly = append(weekly, string(p.Body))
		}
	}
	if len(weekly) != 1 || !strings.Contains(weekly[0], "carol") || !strings.Contains(weekly[0], "上周积分王（11月16日–11月22日）") {
		t.Fatalf("weekly posts = %v, want one for 11月16日–11月22日 naming carol", weekly)
	}
	contains(t, h.say("G1", "dave", "排行"), "还没有人上榜") // a new week
}

func TestE2EConcurrentCheckins(t *testing.T) {
	h := newHarness(t, withYAML(engageYAML))
	var wg sync.WaitGroup
	replies := make([]string, 30)
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replies[i] = h.sayID("same-msg", "G1", "alice", "签到")
		}()
	}
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.say("G1", fmt.Sprintf("m%02d", i), "签到")
		}()
	}
	wg.Wait()
	for i, r := range replies {
		if r != replies[0] || !strings.Contains(r, "+5") {
			t.Errorf("delivery %d reply = %q, want %q", i, r, replies[0])
		}
	}
	if got := h.pointsOf("G1", "alice"); got != 5 {
		t.Errorf("alice after 30 deliveries = %d, want 5", got)
	}
	for i := range 30 {
		if got := h.pointsOf("G1", fmt.Sprintf("m%02d", i)); got != 5 {
			t.Errorf("m%02d = %d, want 5", i, got)
		}
	}
}
