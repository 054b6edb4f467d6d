package main

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// statsBody is the stats API body of INTERFACE.md section 8, decoded into a
// map so that a missing or extra field shows.
func (h *harness) statsBody(chatID, query string) map[string]any {
	h.t.Helper()
	status, body := h.get("/api/v1/groups/" + chatID + "/stats" + query)
	if status != http.StatusOK {
		h.t.Fatalf("stats: %d %s", status, body)
	}
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// threeDaysInG1 is Saturday to Monday in G1: joins, messages (one
// delivered twice), check-ins and a leave.
func threeDaysInG1(h *harness) {
	h.join("G1", 0, "carol", "dave", "erin")
	h.say("G1", "alice", "大家好")
	h.say("G1", "alice", "签到")
	h.sayID("dup-1", "G1", "alice", "今天天气不错")
	h.sayID("dup-1", "G1", "alice", "今天天气不错") // WeCom redelivers it
	h.say("G1", "bob", "签到")
	h.say("G1", "bob", "hi")
	h.say("G1", "boss", "/config") // a staff command is not activity
	h.advance(24 * time.Hour)
	h.say("G1", "alice", "早")
	h.say("G1", "alice", "签到")
	h.leave("G1", 0, "dave")
	h.advance(24 * time.Hour)
	h.say("G1", "alice", "签到")
	h.say("G1", "carol", "你好")
}

func TestE2EStatsAPI(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		threeDaysInG1(h)
		got := h.statsBody("G1", "?days=3")
		day := func(d string, counts ...float64) map[string]any {
			return map[string]any{"day": d, "messages": counts[0], "speakers": counts[1], "checkins": counts[2],
				"joins": counts[3], "leaves": counts[4]}
		}
		// members: alice, bob, carol, erin, boss (he spoke in the group); dave left
		want := map[string]any{
			"days": 3.0, "members": 5.0, "messages": 9.0, "speakers": 3.0, "checkins": 4.0, "joins": 3.0, "leaves": 1.0,
			"messages_per_member_per_day": 0.6,    // 9 / (5 × 3)
			"speaker_share":               0.5,    // 3 / (5 + 1 churned)
			"quit_rate":                   0.1667, // 1 / (5 + 1)
			"segments": map[string]any{ // everyone joined or spoke within 30 days; dave left
				"high_value": 0.0, "potential": 5.0, "silent": 0.0, "churned": 1.0},
			"daily": []any{
				day("2026-11-21", 5, 2, 2, 3, 0),
				day("2026-11-22", 2, 1, 1, 0, 1),
				day("2026-11-23", 2, 2, 1, 0, 0),
			},
		}
		for k, w := range want {
			if !reflect.DeepEqual(got[k], w) {
				t.Errorf("%s = %v, want %v", k, got[k], w)
			}
		}
		if len(got) != len(want) {
			t.Errorf("fields = %v, want exactly %d", got, len(want))
		}
		if week := h.statsBody("G1", ""); week["days"] != 7.0 || len(week["daily"].([]any)) != 7 {
			t.Errorf("default window = %v days, %d daily rows; want 7", week["days"], len(week["daily"].([]any)))
		}
		for _, q := range []string{"?days=0", "?days=91", "?days=abc"} {
			status, body := h.get("/api/v1/groups/G1/stats" + q)
			if status != http.StatusBadRequest || !strings.Contains(string(body), `"error"`) {
				t.Errorf("stats%s = %d %s, want 400 with a JSON error", q, status, body)
			}
		}
	})
}

func TestE2EStatsCommandNamesSilentOnlyToStaff(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		threeDaysInG1(h)
		h.flush()
		reply := h.say("G1", "boss", "/stats 3d")
		contains(t, reply, "近3天", "消息9条", "发言3人", "签到4次", "入群3人 · 退群1人 · 退群率16.7%",
			"高价值0 · 潜在5 · 沉默0 · 流失1（流失含本期退群1人）", "最活跃：alice（3天，6条）、bob（1天，2条）、carol（1天，1条）", "近3天未发言2人，名单已私信",
			"（只计机器人收到的消息，即 @机器人 的消息；开通会话存档后计全部消息）")
		if strings.Contains(reply, "erin") {
			t.Errorf("the group reply names a silent member: %q", reply)
		}
		h.flush()
		private := h.callsMentioning("/cgi-bin/message/send", "近3天未发言", "erin", "boss")
		if len(private) != 1 || !strings.Contains(string(private[0].Body), `"touser":"owner1|boss"`) {
			t.Errorf("staff messages = %s, want one to owner1|boss naming erin", bodies(h.api.CallsTo("/cgi-bin/message/send")))
		}
		if leaks := h.callsMentioning("/cgi-bin/webhook/send", "未发言"); len(leaks) != 0 {
			t.Errorf("silent names posted to the group: %s", bodies(leaks))
		}
		contains(t, h.say("G1", "bob", "/stats"), "无权限")
	})
}

func TestE2EDailyReportOnceAt2100(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		threeDaysInG1(h)
		h.flush()
		reports := func() int { return len(h.callsMentioning("/cgi-bin/webhook/send", "今日群活跃")) }
		monday := time.Date(2026, 11, 23, 0, 0, 0, 0, harnessStart.Location())
		h.setNow(monday.Add(20*time.Hour + 59*time.Minute))
		h.tick()
		h.flush()
		if n := reports(); n != 0 {
			t.Fatalf("%d daily reports before 21:00", n)
		}
		h.setNow(monday.Add(21 * time.Hour))
		h.tick()
		h.flush()
		h.advance(time.Minute)
		h.tick() // a second pass of the scheduler: the run is already done
		h.flush()
		calls := h.callsMentioning("/cgi-bin/webhook/send", "今日群活跃（11月23日）", "消息2条（较前日持平）· 发言2人（较前日+100%）",
			"签到1次", "人均日发言0.40条（较前日持平） ⚠️ 低于目标0.80条")
		if len(calls) != 1 || reports() != 1 {
			t.Errorf("daily reports = %s, want one for 11-23", bodies(h.api.CallsTo("/cgi-bin/webhook/send")))
		}
		if n := len(h.callsMentioning("/cgi-bin/message/send", "今日群活跃")); n != 0 {
			t.Errorf("%d daily reports to staff: G4 had no activity and G1 posts by webhook", n)
		}
		// 2 messages from 5 members: below health.messages_per_member, said to staff once
		if alerts := h.callsMentioning("/cgi-bin/message/send", "群健康提醒：11月23日", "人均日发言0.40条，低于目标0.80条"); len(alerts) != 1 {
			t.Errorf("health alerts = %s, want one for 11-23", bodies(h.api.CallsTo("/cgi-bin/message/send")))
		}
	})
}

func TestE2EWeeklyRecap(t *testing.T) {
	h := newHarness(t)
	threeDaysInG1(h)
	h.flush()
	h.setNow(time.Date(2026, 11, 30, 9, 0, 0, 0, harnessStart.Location()))
	h.tick()
	h.flush()
	recap := h.callsMentioning("/cgi-bin/webhook/send", "上周回顾（11月23日–11月29日）", "消息2条")
	if len(recap) != 1 || strings.Contains(string(recap[0].Body), "erin") {
		t.Errorf("weekly recap posts = %s, want one naming no silent member", bodies(h.api.CallsTo("/cgi-bin/webhook/send")))
	}
	// everyone joined within the last 14 days: nobody to follow up yet
	if lists := h.callsMentioning("/cgi-bin/message/send", "需要跟进"); len(lists) != 0 {
		t.Errorf("follow-up lists = %s, want none", bodies(lists))
	}
	if alerts := h.callsMentioning("/cgi-bin/message/send", "群健康提醒：11月23日–11月29日", "参与率40.0%，低于目标60.0%"); len(alerts) != 1 {
		t.Errorf("staff messages = %s, want one health alert", bodies(h.api.CallsTo("/cgi-bin/message/send")))
	}
}
