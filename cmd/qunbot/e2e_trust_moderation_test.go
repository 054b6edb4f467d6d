package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestLadderMuteNeverShortensAMute: a mute the ladder gives ends at the later
// of it and the mute already running.
func TestLadderMuteNeverShortensAMute(t *testing.T) { eachBackend(t, testLadderMuteNeverShortens) }

func testLadderMuteNeverShortens(t *testing.T, h *harness) {
	h.say("G1", "bob", "大家好")
	contains(t, h.say("G1", "owner1", "/mute bob 1h 刷屏"), "禁言1小时")
	until := h.memberJSON("G1", "bob")["muted_until"]
	contains(t, h.say("G1", "owner1", "/warn bob 广告"), "警告1/3")
	contains(t, h.say("G1", "owner1", "/warn bob 广告"), "警告2/3", "15:00")
	if got := h.memberJSON("G1", "bob")["muted_until"]; got != until {
		t.Errorf("muted_until after the ladder's 10-minute rung = %v, want %v (the longer mute)", got, until)
	}
	h.advance(11 * time.Minute)
	contains(t, h.say("G1", "bob", "签到"), "禁言中", "还剩49分钟")
	// A longer ladder mute does extend a shorter one.
	h.say("G1", "carol", "大家好")
	contains(t, h.say("G1", "owner1", "/mute carol 1m"), "禁言1分钟")
	contains(t, h.say("G1", "owner1", "/warn carol"), "警告1/3")
	contains(t, h.say("G1", "owner1", "/warn carol"), "禁言10分钟", "警告2/3")
	h.advance(5 * time.Minute)
	contains(t, h.say("G1", "carol", "签到"), "禁言中")
}

// TestPastTheTopRung: counts are shown against the ladder's top rung, and a
// violation past it repeats the top rung and says so.
func TestPastTheTopRung(t *testing.T) { eachBackend(t, testPastTheTopRung) }

func testPastTheTopRung(t *testing.T, h *harness) {
	h.say("G4", "owner1", "/banword add 刷单")
	var last string
	for i := 1; i <= 4; i++ {
		last = h.say("G4", "bob", fmt.Sprintf("刷单%d", i))
		h.advance(11 * time.Minute)
	}
	contains(t, last, "警告4/3", "已超过最高一级", "已提请群主和管理员移出")
	if strings.Contains(last, "4/4") {
		t.Errorf("fourth notice = %q, want the count against the top rung", last)
	}
	contains(t, h.say("G4", "owner1", "/warnings bob"), "有效警告4/3")
	h.flush()
	cards := 0
	for _, c := range h.api.CallsTo("/cgi-bin/message/send") {
		if c.JSON()["msgtype"] == "template_card" {
			cards++
		}
	}
	if cards != 2 {
		t.Errorf("removal cards = %d, want 2 (the top rung and its repeat)", cards)
	}
	if got := modActions(h.modlog("G4")); !slices.Equal(got, []string{"warn", "mute", "remove_requested", "remove_requested"}) {
		t.Errorf("modlog = %v", got)
	}
}

// TestRemovalDecisionsGoToStaffOnly: what staff decided on a removal card,
// the "remove by hand" instruction and an ignored removal are sent to the
// owner and admins, never posted into the group naming the member.
func TestRemovalDecisionsGoToStaffOnly(t *testing.T) {
	eachBackend(t, testRemovalDecisionsGoToStaffOnly)
}

func testRemovalDecisionsGoToStaffOnly(t *testing.T, h *harness) {
	h.say("G1", "bob", "大家好")
	h.say("G1", "carol", "大家好")
	contains(t, h.say("G1", "owner1", "/kick bob 广告"), "已提请群主和管理员移出")
	contains(t, h.dm("owner1", "/in G1 /kick carol 刷屏"), "已提请群主和管理员移出")
	h.flush()
	var keys []string // remove key of bob's card, ignore key of carol's
	for _, c := range h.api.CallsTo("/cgi-bin/message/send") {
		body := c.JSON()
		tc, ok := body["template_card"].(map[string]any)
		if !ok {
			continue
		}
		buttons := tc["button_list"].([]any)
		pick := 0
		if len(keys) == 2 {
			pick = 1
		}
		keys = append(keys, buttons[pick].(map[string]any)["key"].(string), tc["task_id"].(string))
	}
	if len(keys) != 4 {
		t.Fatalf("removal cards = %d, want 2", len(keys)/2)
	}
	h.click("owner1", keys[0], keys[1])
	h.click("owner1", keys[2], keys[3])
	h.flush()
	for _, c := range h.api.CallsTo("/cgi-bin/webhook/send") {
		body := string(c.Body)
		if strings.Contains(body, "移出") {
			t.Errorf("a removal notice was posted into the group: %s", body)
		}
	}
	var staff []string
	for _, c := range h.api.CallsTo("/cgi-bin/message/send") {
		if text, ok := c.JSON()["text"].(map[string]any); ok && c.JSON()["touser"] == "owner1" {
			staff = append(staff, fmt.Sprint(text["content"]))
		}
	}
	joined := strings.Join(staff, "\n")
	contains(t, joined, "决定移出 bob", "手动移出", "忽略对 carol 的移出请求")
}
