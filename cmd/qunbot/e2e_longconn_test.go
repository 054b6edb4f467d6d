package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestLongConnSubscribesAndPings: the bot dials the configured endpoint,
// subscribes with the configured bot id and secret, pings at the configured
// interval, serves no webhook for the 智能机器人, and is ready.
func TestLongConnSubscribesAndPings(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.subscribed(1)
		sub := h.ws.Frames("aibot_subscribe")[0]
		if sub.Str("bot_id") != testBotID || sub.Str("secret") != testBotSecret {
			t.Errorf("subscribed with %v", sub.Body)
		}
		pings, err := h.ws.WaitFrames(h.wsCtx(), "ping", 3)
		if err != nil {
			t.Fatalf("pings: %d: %v", len(pings), err)
		}
		if n := h.ws.Connections(); n != 1 {
			t.Errorf("%d connections: answered pings must keep the first", n)
		}
		if status, _ := h.httpGet("/wecom/aibot?echostr=x"); status != http.StatusNotFound {
			t.Errorf("GET /wecom/aibot = %d in long-connection mode, want 404 (webhook and long connection are exclusive)", status)
		}
		if status, body := h.httpGet("/readyz"); status != http.StatusOK {
			t.Errorf("/readyz = %d %s", status, body)
		}
	}, withLongConn())
}

// TestLongConnAnswersExactlyOnce: an @-message over the long connection is
// answered on its callback's req_id; the same msgid delivered again gets the
// same answer and credits nothing twice.
func TestLongConnAnswersExactlyOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.subscribed(1)
		first := h.wsSayID("ws-checkin-1", "G1", "bob", "签到")
		contains(t, first, "+5", "连续1天")
		again := h.wsSayID("ws-checkin-1", "G1", "bob", "签到")
		if again != first {
			t.Errorf("redelivered msgid answered %q, first answer %q", again, first)
		}
		answers := h.ws.Frames("aibot_respond_msg")
		if len(answers) != 2 || answers[0].ReqID == answers[1].ReqID {
			t.Fatalf("answers %v, want one per delivery on its own req_id", answers)
		}
		if got := h.member("G1", "bob")["points"]; got != float64(5) {
			t.Errorf("points after a redelivered 签到 = %v, want 5 (credited once)", got)
		}
		status, body := h.get("/api/v1/groups/G1/ledger?userid=bob")
		var ledger struct{ Entries []map[string]any }
		if err := json.Unmarshal(body, &ledger); status != http.StatusOK || err != nil || len(ledger.Entries) != 1 {
			t.Errorf("ledger %d %s, want one entry", status, body)
		}
	}, withLongConn())
}

// TestLongConnPostsIntoInternalGroupWithoutWebhook: once a member has spoken
// to the bot in an internal group with no webhook key, a welcome and an
// escalation notice are posted into that group with aibot_send_msg (not to
// staff), and the group list says the group is reachable. When WeCom refuses
// the group, the post goes to staff instead.
func TestLongConnPostsIntoInternalGroupWithoutWebhook(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.subscribed(1)
		h.api.SetUser("newbie", "小新")
		for _, u := range []string{"bob", "carol", "dave"} { // admin commands name members the bot knows
			contains(t, h.wsSay("G4", u, "帮助"), "签到")
		}
		h.join("G4", 0, "newbie")
		h.welcomeDue()
		h.dm("owner1", "/in G4 /warn carol 刷屏")
		h.flush()
		sends := strings.Join(h.sends("G4"), "\n")
		contains(t, sends, "欢迎 小新 加入内部群", "carol", "刷屏")
		for _, f := range h.ws.Frames("aibot_send_msg") {
			if f.Body["chat_type"] != float64(2) || f.Str("msgtype") != "markdown" {
				t.Errorf("post %v, want chat_type 2 markdown", f.Body)
			}
		}
		if staff := h.callsMentioning("/cgi-bin/message/send", "内部群"); len(staff) != 0 {
			t.Errorf("posts also went to staff: %s", bodies(staff))
		}
		if g := h.group("G4"); g["aibot_reachable"] != true || g["aibot_reach"] != "reachable" {
			t.Errorf("G4 in the group list: %v", g)
		}

		h.ws.Refuse("G4", 93001) // the bot was taken out of the group
		h.dm("owner1", "/in G4 /warn dave 广告")
		h.flush()
		if staff := h.callsMentioning("/cgi-bin/message/send", "【内部群】", "dave"); len(staff) != 1 {
			t.Errorf("refused post: %d staff messages, want 1 (the fallback)", len(staff))
		}
		if g := h.group("G4"); g["aibot_reachable"] != false || g["aibot_reach"] != "refused" || g["aibot_refused_code"] != float64(93001) {
			t.Errorf("G4 after the refusal: %v", g)
		}
	}, withLongConn())
}

// TestLongConnReconnectsAfterADroppedSocket: the socket drops; the bot dials
// again after its back-off and answers on the new connection.
func TestLongConnReconnectsAfterADroppedSocket(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.subscribed(1)
		if err := h.ws.Drop(); err != nil {
			t.Fatal(err)
		}
		h.subscribed(2)
		contains(t, h.wsSay("G1", "bob", "帮助"), "签到")
		if n := h.ws.Kicks(); n != 0 {
			t.Errorf("%d kicks", n)
		}
	}, withLongConn())
}

// TestLongConnStopsAfterDisconnectedEvent: another client took the bot over:
// qunbot does not reconnect, and /readyz says why.
func TestLongConnStopsAfterDisconnectedEvent(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.subscribed(1)
		if err := h.ws.Disconnect(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			status, body := h.httpGet("/readyz")
			if status == http.StatusServiceUnavailable && strings.Contains(body, "disconnected_event") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("/readyz = %d %q after disconnected_event", status, body)
			}
			time.Sleep(10 * time.Millisecond)
		}
		pings := len(h.ws.Frames("ping"))
		h.killConn()
		if n := h.ws.Connections(); n != 1 {
			t.Errorf("%d connections: reconnected after disconnected_event", n)
		}
		if n := len(h.ws.Frames("ping")); n != pings {
			t.Errorf("%d more pings after disconnected_event", n-pings)
		}
	}, withLongConn())
}

// TestLongConnReplicaTakesOver: two replicas, one connection. When the
// holder dies (its lease never released), the other subscribes, answers and
// delivers the long-connection posts; at no time were both subscribed.
func TestLongConnReplicaTakesOver(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.subscribed(1)
		b := h.replica()
		contains(t, h.wsSay("G4", "carol", "帮助"), "签到")
		if n := h.ws.Subscribes(); n != 1 {
			t.Fatalf("%d subscribes with two replicas running, want 1", n)
		}
		if b.app.deliversLongConn() {
			t.Error("the standby replica would deliver long-connection posts")
		}
		h.killConn()
		h.subscribed(2)
		contains(t, h.wsSay("G4", "bob", "帮助"), "签到")
		b.dm("owner1", "/in G4 /warn carol 刷屏")
		b.flush()
		contains(t, strings.Join(h.sends("G4"), "\n"), "carol", "刷屏")
		if n := h.ws.Kicks(); n != 0 {
			t.Errorf("%d kicks: two replicas were subscribed at once", n)
		}
	}, withLongConn())
}

// httpGet calls the bot's HTTP surface without credentials.
func (h *harness) httpGet(path string) (int, string) {
	h.t.Helper()
	resp, err := h.srv.Client().Get(h.srv.URL + path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// group reads one group of the admin API's group list.
func (h *harness) group(chatID string) map[string]any {
	h.t.Helper()
	status, body := h.get("/api/v1/groups")
	var list struct{ Groups []map[string]any }
	if err := json.Unmarshal(body, &list); status != http.StatusOK || err != nil {
		h.t.Fatalf("groups: %d %s", status, body)
	}
	for _, g := range list.Groups {
		if g["chatid"] == chatID {
			return g
		}
	}
	h.t.Fatalf("group %s not listed: %s", chatID, body)
	return nil
}
