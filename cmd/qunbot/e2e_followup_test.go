package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// at is a time in Shanghai.
func at(month, day, hh, mm int) time.Time {
	return time.Date(2026, time.Month(month), day, hh, mm, 0, 0, harnessStart.Location())
}

// staffMessages are the app messages to touser that mention every want.
func (h *harness) staffMessages(touser string, want ...string) int {
	return len(h.callsMentioning("/cgi-bin/message/send", append(want, `"touser":"`+touser+`"`)...))
}

// chat has from say n different plain messages, a minute apart (so no
// flood or repeat rule fires).
func (h *harness) chat(chatID, from string, n int) {
	for i := range n {
		h.say(chatID, from, fmt.Sprintf("%s 的第 %d 句话", from, i+1))
		h.advance(time.Minute)
	}
}

func TestE2ELeaveReachesStaffAtOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		now := h.clock.Now()
		h.api.SetGroup(bot.GroupInfo{ChatID: "G3", Members: []bot.GroupMember{
			{UserID: "sales1", Name: "销售一", Type: 1, JoinTime: now.Add(-time.Hour)},
			{UserID: "wmA", Name: "客户A", Type: 2, JoinTime: now, Invitor: "sales1"},
			{UserID: "wmB", Name: "客户B", Type: 2, JoinTime: now, Invitor: "sales1"},
		}})
		h.join("G3", 0, "wmA", "wmB")
		h.welcomeDue()
		h.say("G3", "wmA", "签到")
		h.advance(3*24*time.Hour + 2*time.Hour)
		h.leave("G3", 0, "wmA")
		h.leave("G3", 0, "wmA") // redelivered: no second note
		h.leave("G3", 1, "wmB") // removed by staff: they know
		h.flush()
		notes := h.callsMentioning("/cgi-bin/message/send", "退出了群聊")
		if len(notes) != 1 || !containsAll(string(notes[0].Body), `"touser":"owner1"`, "【客户群】👋 客户A 退出了群聊，建议回访",
			"在群3天（2026年11月21日入群），由 销售一 邀请", "积分5 · 最后发言11月21日 14:00") {
			t.Errorf("leave notes = %s, want one to owner1 about wmA", bodies(h.api.CallsTo("/cgi-bin/message/send")))
		}
		if n := len(h.api.CallsTo("/cgi-bin/webhook/send")) + len(h.api.CallsTo("/cgi-bin/appchat/send")); n != 0 {
			t.Errorf("%d group posts: a leave is never said in public", n)
		}
	})
}

func TestE2EWeeklyFollowupListsQuietMembersPrivately(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.setNow(at(11, 2, 10, 0))
		h.join("G1", 0, "carol", "erin")
		h.say("G1", "bob", "我来了")
		h.say("G1", "carol", "大家好")
		h.chat("G1", "alice", 1)
		h.setNow(at(11, 16, 10, 0)) // inside the 14 days before Monday 11-23
		h.chat("G1", "alice", 5)
		h.chat("G1", "bob", 2)
		h.chat("G1", "boss", 1) // an admin is never listed
		h.flush()

		h.setNow(at(11, 23, 9, 0))
		h.tick()
		h.tick()
		h.flush()
		lists := h.callsMentioning("/cgi-bin/message/send", "本周需要跟进的成员")
		if len(lists) != 1 || !containsAll(string(lists[0].Body), `"touser":"owner1"`, "近14天发言少于3条，共3人",
			"bob（2条，最后发言11月16日）、carol（0条，最后发言11月2日）、erin（从未发言）") {
			t.Fatalf("follow-up lists = %s, want one naming bob, carol and erin", bodies(h.api.CallsTo("/cgi-bin/message/send")))
		}
		if strings.Contains(string(lists[0].Body), "alice") || strings.Contains(string(lists[0].Body), "boss") {
			t.Errorf("the list names an active member or staff: %s", lists[0].Body)
		}
		recap := h.callsMentioning("/cgi-bin/webhook/send", "上周回顾（11月16日–11月22日）")
		if len(recap) != 1 || strings.Contains(string(recap[0].Body), "erin") || strings.Contains(string(recap[0].Body), "跟进") {
			t.Errorf("group recap = %s, want one that names nobody quiet", bodies(recap))
		}
	})
}

func TestE2EHealthBreachFlaggedInTheReportAndSentOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.setNow(at(11, 9, 10, 0)) // a week before: everyone speaks
		for _, u := range []string{"alice", "bob", "carol", "dave", "erin"} {
			h.chat("G1", u, 1)
		}
		h.setNow(at(11, 16, 10, 0)) // the week reported: two of five speak
		h.chat("G1", "alice", 8)
		h.chat("G1", "bob", 1)
		h.setNow(at(11, 23, 9, 0))
		h.tick()
		h.advance(time.Minute)
		h.tick()
		h.flush()
		recap := h.callsMentioning("/cgi-bin/webhook/send", "上周回顾（11月16日–11月22日）")
		if len(recap) != 1 || !containsAll(string(recap[0].Body),
			"消息9条（较上周+80%）· 发言2人（较上周-60%）",
			"参与率40.0%（较上周-60.0个百分点） ⚠️ 低于目标60.0%",
			"人均日发言0.26条（较上周+80%） ⚠️ 低于目标0.80条", "成员5人：") {
			t.Errorf("weekly recap = %s", bodies(h.api.CallsTo("/cgi-bin/webhook/send")))
		}
		alerts := h.callsMentioning("/cgi-bin/message/send", "群健康提醒：11月16日–11月22日")
		if len(alerts) != 1 || !containsAll(string(alerts[0].Body), `"touser":"owner1"`, "· 参与率40.0%，低于目标60.0%",
			"· 人均日发言0.26条，低于目标0.80条") {
			t.Errorf("health alerts = %s, want one to owner1", bodies(h.api.CallsTo("/cgi-bin/message/send")))
		}

		// thresholds are settings: off, nothing is flagged or sent the week after
		contains(t, h.say("G1", "owner1", "/config health.speaker_share off"), "已将 health.speaker_share 设为 off")
		contains(t, h.say("G1", "owner1", "/config health.messages_per_member 0.01"), "已将")
		contains(t, h.say("G1", "owner1", "/config health.quit_rate 2"), "未修改：")
		h.chat("G1", "alice", 1)
		h.setNow(at(11, 30, 9, 0))
		h.tick()
		h.flush()
		if n := len(h.callsMentioning("/cgi-bin/message/send", "群健康提醒：11月23日–11月29日")); n != 0 {
			t.Errorf("%d alerts with the thresholds off", n)
		}
		if next := h.callsMentioning("/cgi-bin/webhook/send", "上周回顾（11月23日–11月29日）"); len(next) != 1 ||
			strings.Contains(string(next[0].Body), "⚠️") {
			t.Errorf("the next recap = %s, want one flagging nothing", bodies(next))
		}
	})
}

func TestE2EMonthlyReviewSentOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.setNow(at(10, 5, 10, 0))
		h.join("G1", 0, "carol", "dave", "erin")
		h.chat("G1", "alice", 4)
		h.chat("G1", "bob", 2)
		h.setNow(at(11, 10, 10, 0))
		h.chat("G1", "alice", 30)
		h.chat("G1", "carol", 3)
		h.leave("G1", 0, "dave")
		h.flush()

		h.setNow(at(12, 1, 9, 0))
		h.tick()
		h.tick()
		h.setNow(at(12, 1, 9, 30))
		h.tick()
		h.flush()
		reviews := h.callsMentioning("/cgi-bin/webhook/send", "📅 11月月度回顾（11月1日–11月30日）")
		if len(reviews) != 1 || !containsAll(string(reviews[0].Body),
			"消息33条（较上月+450%）· 发言2人（较上月持平）", "入群0人 · 退群1人",
			"退群率20.0%（较上月+20.0个百分点） ⚠️ 高于目标5.0%", "参与率40.0%",
			// bob last spoke and erin joined on 10-05: silent by 11-30; dave left
			"成员4人：高价值0 · 潜在2 · 沉默2 · 流失1", "最活跃：alice（1天，30条）、carol（1天，3条）") {
			t.Errorf("monthly reviews = %s, want one", bodies(h.api.CallsTo("/cgi-bin/webhook/send")))
		}
		if n := h.staffMessages("owner1", "群健康提醒：11月1日–11月30日", "· 退群率20.0%，高于目标5.0%"); n != 1 {
			t.Errorf("monthly alerts = %d:%s", n, bodies(h.api.CallsTo("/cgi-bin/message/send")))
		}
		contains(t, h.say("G1", "owner1", "/config report.monthly 31 08:00"), "已将 report.monthly 设为 31 08:00")
		contains(t, h.say("G1", "owner1", "/config report.monthly 32 08:00"), "未修改：")
	})
}

// memberList reads the member list API.
func (h *harness) memberList(chatID, query string) []map[string]any {
	h.t.Helper()
	status, body := h.get("/api/v1/groups/" + chatID + "/members" + query)
	if status != http.StatusOK {
		h.t.Fatalf("member list: %d %s", status, body)
	}
	var out struct{ Members []map[string]any }
	if err := json.Unmarshal(body, &out); err != nil {
		h.t.Fatal(err)
	}
	return out.Members
}

func TestE2ESegmentsMoveAsAMemberGoesQuiet(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.say("G4", "bob", "hi")
		h.chat("G4", "alice", 21) // 3 a day on average over the week: high value
		segment := func(u string) any { return h.member("G4", u)["segment"] }
		steps := []struct {
			after      time.Duration
			alice, bob string
			stats      map[string]any
		}{
			{0, "high_value", "potential", map[string]any{"high_value": 1.0, "potential": 1.0, "silent": 0.0, "churned": 0.0}},
			{7 * 24 * time.Hour, "potential", "potential", nil}, // the 21 messages left the 7-day window
			{30 * 24 * time.Hour, "silent", "silent", map[string]any{"high_value": 0.0, "potential": 0.0, "silent": 2.0, "churned": 0.0}},
			{90 * 24 * time.Hour, "churned", "churned", map[string]any{"high_value": 0.0, "potential": 0.0, "silent": 0.0, "churned": 2.0}},
		}
		start := h.clock.Now()
		for _, s := range steps {
			h.setNow(start.Add(s.after))
			if got := segment("alice"); got != s.alice {
				t.Errorf("after %v alice is %v, want %s", s.after, got, s.alice)
			}
			if got := segment("bob"); got != s.bob {
				t.Errorf("after %v bob is %v, want %s", s.after, got, s.bob)
			}
			if s.stats != nil {
				if got := h.statsBody("G4", "?days=7")["segments"]; fmt.Sprint(got) != fmt.Sprint(s.stats) {
					t.Errorf("after %v stats segments = %v, want %v", s.after, got, s.stats)
				}
			}
		}
		m := h.member("G4", "alice")
		if m["last_message_at"] != "2026-11-21T14:20:00+08:00" {
			t.Errorf("alice's last_message_at = %v, want her 21st message at 14:20", m["last_message_at"])
		}
		list := h.memberList("G4", "")
		if len(list) != 2 || list[0]["userid"] != "alice" || list[0]["segment"] != "churned" || list[1]["userid"] != "bob" {
			t.Errorf("member list = %v", list)
		}
		if fmt.Sprint(list[0]) != fmt.Sprint(m) {
			t.Errorf("the list's alice %v differs from the member view %v", list[0], m)
		}
		h.say("G4", "bob", "我回来了") // speaking again: potential at once
		if got := segment("bob"); got != "potential" {
			t.Errorf("bob after speaking again is %v, want potential", got)
		}
		if got := h.memberList("G4", "?segment=potential"); len(got) != 1 || got[0]["userid"] != "bob" {
			t.Errorf("?segment=potential = %v, want bob", got)
		}
		status, body := h.get("/api/v1/groups/G4/members?format=csv")
		csv := string(body)
		if status != http.StatusOK || !strings.HasPrefix(csv, "\uFEFFuserid,name,points,") ||
			!strings.Contains(csv, ",churned,2026-11-21T14:20:00+08:00\n") || strings.Count(csv, "\n") != 3 {
			t.Errorf("CSV = %d %q", status, csv)
		}
	})
}
