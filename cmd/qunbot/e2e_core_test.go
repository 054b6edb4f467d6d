package main

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/qunbot/qunbot/bot"
)

func TestHelpRulesAndRetry(t *testing.T) {
	h := newHarness(t)
	help := h.sayID("m-help", "G1", "bob", "帮助")
	contains(t, help, "帮助", "规则")
	if strings.Contains(help, "/admin") || strings.Contains(help, "/config") {
		t.Errorf("a member's help lists admin commands: %q", help)
	}
	if again := h.sayID("m-help", "G1", "bob", "帮助"); again != help {
		t.Errorf("retry reply = %q, want the first reply %q", again, help)
	}
	contains(t, h.say("G1", "bob", "/rules"), "群规")
	contains(t, h.say("G1", "owner1", "/help"), "/admin", "/config")
}

func TestAdminAddAndRefusal(t *testing.T) {
	h := newHarness(t)
	h.api.SetUser("carol", "Carol")
	h.say("G1", "carol", "帮助") // carol is now a known member
	h.flush()                  // her name arrives from the address book
	if got := h.say("G1", "bob", "/admin add carol"); got != "无权限" {
		t.Fatalf("member's /admin add = %q, want 无权限", got)
	}
	contains(t, h.say("G1", "owner1", "/admin add @Carol"), "Carol")
	contains(t, h.say("G1", "boss", "/admin list"), "Carol")
	contains(t, h.say("G1", "carol", "/config checkin.points 8"), "checkin.points")
	contains(t, h.say("G1", "carol", "/config"), "checkin.points = 8")

	status, body := h.get("/api/v1/groups/G1/modlog")
	if status != 200 {
		t.Fatalf("modlog status %d: %s", status, body)
	}
	var modlog struct {
		Entries []struct{ Action, Actor, Evidence string } `json:"entries"`
	}
	if err := json.Unmarshal(body, &modlog); err != nil {
		t.Fatal(err)
	}
	if len(modlog.Entries) != 1 || modlog.Entries[0].Action != "denied" || modlog.Entries[0].Actor != "bob" {
		t.Errorf("modlog = %+v, want one denied entry by bob", modlog.Entries)
	}
	status, body = h.get("/api/v1/groups/G1/members/carol")
	if status != 200 || !strings.Contains(string(body), `"is_admin":true`) || !strings.Contains(string(body), `"name":"Carol"`) {
		t.Errorf("member = %d %s", status, body)
	}
}

func TestAdminsWorkFromTheAppChat(t *testing.T) {
	h := newHarness(t)
	contains(t, h.dm("boss", "/in G2 /config moderation.mode shadow"), "moderation.mode")
	contains(t, h.say("G2", "owner1", "/config"), "moderation.mode = shadow")
	if got := h.dm("bob", "/in G2 /config kind external"); got != "无权限" {
		t.Errorf("member via app = %q, want 无权限", got)
	}
	contains(t, h.dm("bob", "帮助"), "帮助")
	contains(t, h.dm("boss", "/config"), "/in")
}

func TestBadCallbacksRecordNothing(t *testing.T) {
	h := newHarness(t)
	resp, _, err := h.send.Post(context.Background(), "/wecom/aibot", []byte(`{"encrypt":"AAAA"}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 401 {
		t.Errorf("unsigned callback = %d, want 401", resp.StatusCode)
	}
	status, body := h.get("/api/v1/groups")
	if status != 200 || strings.Contains(string(body), "G1") {
		t.Errorf("groups after a rejected callback = %d %s", status, body)
	}
}

func TestLateAnswerPostsOnceToResponseURL(t *testing.T) {
	h := newHarness(t)
	ev := bot.Event{ID: "slow-1", ChatID: "G1", From: "bob", ResponseURL: h.api.ResponseURL("code-1")}
	for range 2 { // asked twice, queued once
		if err := h.app.engine.AnswerLate(context.Background(), ev, "稍后的回复"); err != nil {
			t.Fatal(err)
		}
	}
	h.flush()
	calls := h.api.CallsTo("/cgi-bin/aibot/response")
	if len(calls) != 1 || !strings.Contains(string(calls[0].Body), "稍后的回复") {
		t.Fatalf("response_url calls = %d %v", len(calls), calls)
	}
}

// TestDuplicateStorm delivers one denied command thirty times at once: one
// reply for all, one modlog row.
func TestDuplicateStorm(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		var wg sync.WaitGroup
		replies := make([]string, 30)
		for i := range replies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := h.send.AIBotText(context.Background(), "storm-1", "G1", "bob", "/admin add carol")
				if err != nil || r.Status != 200 {
					t.Errorf("delivery %d: %+v %v", i, r, err)
				}
				replies[i] = r.Text
			}()
		}
		wg.Wait()
		for i, r := range replies {
			if r != "无权限" {
				t.Errorf("delivery %d got %q", i, r)
			}
		}
		entries, err := h.app.store.ModlogEntries(context.Background(), "G1", 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 {
			t.Errorf("modlog has %d rows, want 1", len(entries))
		}
	})
}

func TestEnterChatIsGreeted(t *testing.T) {
	h := newHarness(t)
	r, err := h.send.AIBotEnterChat(context.Background(), "enter-1", "bob")
	if err != nil || r.Status != 200 {
		t.Fatalf("enter_chat: %+v %v", r, err)
	}
	contains(t, r.Text, "帮助")
	if !strings.Contains(string(r.Body), "encrypt") {
		t.Errorf("greeting is not an encrypted reply: %s", r.Body)
	}
}

// A Redis that is down when qunbot starts leaves it serving: readiness names
// redis, and a member's command still gets its reply.
func TestStartsWithRedisDown(t *testing.T) {
	h := newHarness(t, withEnv("QUNBOT_REDIS_URL", "redis://127.0.0.1:1/0"))
	resp, err := h.srv.Client().Get(h.srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || !strings.Contains(string(body), "redis") {
		t.Errorf("/readyz = %d %q, want 503 naming redis", resp.StatusCode, body)
	}
	contains(t, h.say("G1", "bob", "签到"), "签到成功")
}
