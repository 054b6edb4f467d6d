package handlers

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/rules"
)

func replyActions(text string) []bot.Action {
	return []bot.Action{{Kind: bot.ActAppChatSend, ChatID: "G1", Text: "not the reply"}, {Kind: bot.ActReply, Text: text}}
}

// openEnvelope checks a reply envelope's signature and decrypts its payload.
func openEnvelope(t *testing.T, c *bot.Crypto, signature, timestamp, nonce, encrypted string) []byte {
	t.Helper()
	if !c.VerifySignature(signature, timestamp, nonce, encrypted) {
		t.Errorf("reply signature does not verify")
	}
	plain, err := c.Decrypt(encrypted)
	if err != nil {
		t.Fatalf("decrypt reply: %v", err)
	}
	return plain
}

// openAIBotReply checks the JSON envelope's signature and returns its stream.
func openAIBotReply(t *testing.T, c *bot.Crypto, body string) (id string, finish bool, content string) {
	t.Helper()
	var env struct{ Encrypt, MsgSignature, Timestamp, Nonce string }
	if err := json.Unmarshal([]byte(body), &env); err != nil || env.Encrypt == "" {
		t.Fatalf("reply %q is not an encrypted JSON envelope: %v", body, err)
	}
	plain := openEnvelope(t, c, env.MsgSignature, env.Timestamp, env.Nonce, env.Encrypt)
	var r struct {
		MsgType string `json:"msgtype"`
		Stream  struct {
			ID      string `json:"id"`
			Finish  bool   `json:"finish"`
			Content string `json:"content"`
		} `json:"stream"`
	}
	if err := json.Unmarshal(plain, &r); err != nil || r.MsgType != "stream" {
		t.Fatalf("reply plaintext %q is not a stream: %v", plain, err)
	}
	return r.Stream.ID, r.Stream.Finish, r.Stream.Content
}

type appReplyMsg struct {
	ToUserName, FromUserName, MsgType, Content string
	CreateTime                                 int64
}

// openAppReply checks the XML envelope's signature and returns the message.
func openAppReply(t *testing.T, c *bot.Crypto, body string) appReplyMsg {
	t.Helper()
	var env struct{ Encrypt, MsgSignature, TimeStamp, Nonce string }
	if err := xml.Unmarshal([]byte(body), &env); err != nil || env.Encrypt == "" {
		t.Fatalf("reply %q is not an encrypted XML envelope: %v", body, err)
	}
	plain := openEnvelope(t, c, env.MsgSignature, env.TimeStamp, env.Nonce, env.Encrypt)
	var m appReplyMsg
	if err := xml.Unmarshal(plain, &m); err != nil {
		t.Fatalf("reply plaintext %q: %v", plain, err)
	}
	return m
}

func TestAIBotReplyRoundTrip(t *testing.T) {
	f := newFixture(t, nil)
	f.decider.actions = replyActions("签到成功 +5，连续1天")
	res := f.post(t, aibotDelivery(t, f.aibot, aibotText, now))
	if res.status != http.StatusOK {
		t.Fatalf("status = %d, want 200 (%q)", res.status, res.body)
	}
	id, finish, content := openAIBotReply(t, f.aibot, res.body)
	if content != "签到成功 +5，连续1天" || !finish || id != bot.StreamID("m1") {
		t.Errorf("stream = (%q, %v, %q), want (%q, true, the reply)", id, finish, content, bot.StreamID("m1"))
	}
	ev := f.decider.events[0]
	if ev.ID != "m1" || ev.Channel != bot.ChannelAIBot || ev.ChatID != "G1" || ev.From != "alice" || ev.Text != "签到" {
		t.Errorf("event = %+v", ev)
	}
	if !ev.At.Equal(now) {
		t.Errorf("event At = %v, want the clock's %v when the wire has no time", ev.At, now)
	}
	if got := callbackCount(t, f.reg, endpointAIBot, outcomeOK); got != 1 {
		t.Errorf("ok count = %v, want 1", got)
	}
}

func TestAppReplyRoundTrip(t *testing.T) {
	f := newFixture(t, nil)
	f.decider.actions = replyActions("G1 积分 120")
	res := f.post(t, appDelivery(t, f.app, appText, now))
	if res.status != http.StatusOK {
		t.Fatalf("status = %d, want 200 (%q)", res.status, res.body)
	}
	m := openAppReply(t, f.app, res.body)
	want := appReplyMsg{ToUserName: "bob", FromUserName: corpID, MsgType: "text", Content: "G1 积分 120", CreateTime: now.Unix()}
	if m != want {
		t.Errorf("reply = %+v, want %+v", m, want)
	}
	ev := f.decider.events[0]
	if ev.ID != "app:7000000000000000001" || ev.Channel != bot.ChannelApp || ev.Text != "/in G1 /points" ||
		!ev.At.Equal(time.Unix(1795000000, 0)) {
		t.Errorf("event = %+v", ev)
	}
}

// The Decider answers a redelivery with the reply stored for its event
// (marked Stored): the handler sends it the same way and counts a duplicate.
func TestRedeliveryIsAnsweredAndCounted(t *testing.T) {
	for _, w := range wires {
		t.Run(w.endpoint, func(t *testing.T) {
			f := newFixture(t, nil)
			f.decider.actions = replyActions("今天已签到")
			d := w.deliver(t, w.crypto(f), w.valid, now)
			first := f.post(t, d)
			f.decider.mu.Lock()
			f.decider.actions = []bot.Action{{Kind: bot.ActReply, Text: "今天已签到", Stored: true}}
			f.decider.mu.Unlock()
			again := f.post(t, d)
			if first.status != http.StatusOK || again.status != http.StatusOK {
				t.Fatalf("statuses %d, %d; want 200, 200", first.status, again.status)
			}
			if got, want := replyText(t, f, w, again.body), replyText(t, f, w, first.body); got != want || got != "今天已签到" {
				t.Errorf("redelivery answered %q, first answer %q; want both %q", got, want, "今天已签到")
			}
			if got := callbackCount(t, f.reg, w.endpoint, outcomeDuplicate); got != 1 {
				t.Errorf("duplicate count = %v, want 1", got)
			}
		})
	}
}

func replyText(t *testing.T, f *fixture, w wire, body string) string {
	t.Helper()
	if w.endpoint == endpointApp {
		return openAppReply(t, f.app, body).Content
	}
	_, _, content := openAIBotReply(t, f.aibot, body)
	return content
}

func TestDeciderFailures(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		status  int
		outcome string
		calls   int // after two deliveries
	}{
		{"error asks WeCom to retry", errors.New("store: syntax error"), http.StatusInternalServerError, outcomeError, 2},
		{"store down asks WeCom to retry later", fmt.Errorf("store: claim: %w", rules.ErrUnavailable),
			http.StatusServiceUnavailable, outcomeUnavailable, 2},
		{"deadline passed", fmt.Errorf("store: claim: %w", context.DeadlineExceeded),
			http.StatusServiceUnavailable, outcomeUnavailable, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.decider.err = tt.err
			d := aibotDelivery(t, f.aibot, aibotText, now)
			for range 2 {
				if res := f.post(t, d); res.status != tt.status {
					t.Errorf("status = %d, want %d", res.status, tt.status)
				}
			}
			if got := f.decider.calls(); got != tt.calls {
				t.Errorf("Decider called %d times, want %d (a failure is not cached)", got, tt.calls)
			}
			if got := callbackCount(t, f.reg, endpointAIBot, tt.outcome); got != 2 {
				t.Errorf("%s count = %v, want 2", tt.outcome, got)
			}
		})
	}
}

func TestEngineErrorLogsOneLine(t *testing.T) {
	f := newFixture(t, nil)
	f.decider.err = errors.New("store: database is locked")
	f.post(t, aibotDelivery(t, f.aibot, aibotText, now))
	var line string
	for _, l := range strings.Split(f.logs.String(), "\n") {
		if strings.Contains(l, "callback not handled") {
			line = l
		}
	}
	for _, want := range []string{`"msg_id":"m1"`, `"chat_id":"G1"`, `"err":"store: database is locked"`} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q lacks %s", line, want)
		}
	}
}

func TestReplyCacheDownFallsBackToDecider(t *testing.T) {
	f := newFixture(t, nil)
	f.cache.getErr = errors.New("redis: connection refused")
	f.decider.actions = replyActions("ok")
	res := f.post(t, aibotDelivery(t, f.aibot, aibotText, now))
	if _, _, content := openAIBotReply(t, f.aibot, res.body); content != "ok" || f.decider.calls() != 1 {
		t.Errorf("reply %q after %d Decider calls, want %q after 1", content, f.decider.calls(), "ok")
	}
}

func TestPanicInDeciderIs500AndServerGoesOn(t *testing.T) {
	f := newFixture(t, nil)
	f.decider.panics = true
	if res := f.post(t, aibotDelivery(t, f.aibot, aibotText, now)); res.status != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", res.status)
	}
	if got := callbackCount(t, f.reg, endpointAIBot, outcomeError); got != 1 {
		t.Errorf("error count = %v, want 1", got)
	}
	if !strings.Contains(f.logs.String(), "decider exploded") {
		t.Errorf("the panic was not logged: %s", f.logs.String())
	}
	f.decider.mu.Lock()
	f.decider.panics, f.decider.actions = false, replyActions("back")
	f.decider.mu.Unlock()
	other := strings.Replace(aibotText, `"m1"`, `"m2"`, 1)
	res := f.post(t, aibotDelivery(t, f.aibot, other, now))
	if _, _, content := openAIBotReply(t, f.aibot, res.body); res.status != http.StatusOK || content != "back" {
		t.Errorf("after the panic: %d %q, want 200 %q", res.status, content, "back")
	}
}
