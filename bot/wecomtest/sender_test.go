package wecomtest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/wecomtest"
)

const aesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"

var (
	aibotKeys = wecomtest.Keys{Token: "aibot-token", AESKey: aesKey}
	appKeys   = wecomtest.Keys{Token: "app-token", AESKey: aesKey, ReceiveID: "ww1"}
)

// tinyBot is a minimal callback handler built only from bot's own crypto and
// parsers: it answers every message with "echo: <text>" and records events.
type tinyBot struct {
	aibot, app *bot.Crypto
	aibotOut   *bot.Crypto // signs 智能机器人 replies; another token makes them bad
	mu         sync.Mutex
	events     []bot.Event
}

func newTinyBot(t *testing.T, replyKeys wecomtest.Keys) (*tinyBot, *httptest.Server) {
	t.Helper()
	b := &tinyBot{}
	var err error
	if b.aibot, err = bot.NewCrypto(aibotKeys.Token, aesKey, ""); err != nil {
		t.Fatal(err)
	}
	if b.aibotOut, err = bot.NewCrypto(replyKeys.Token, aesKey, ""); err != nil {
		t.Fatal(err)
	}
	if b.app, err = bot.NewCrypto(appKeys.Token, aesKey, "ww1"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(b)
	t.Cleanup(srv.Close)
	return b, srv
}

func (b *tinyBot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, parseEnv, parse := b.app, bot.ParseAppEnvelope, bot.ParseApp
	if r.URL.Path == "/wecom/aibot" {
		c, parseEnv, parse = b.aibot, bot.ParseAIBotEnvelope, bot.ParseAIBot
	}
	q := r.URL.Query()
	sig, ts, nonce := q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce")
	data := q.Get("echostr")
	if r.Method == http.MethodPost {
		body, _ := io.ReadAll(r.Body)
		enc, err := parseEnv(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		data = enc
	}
	plain, err := c.Open(sig, ts, nonce, data)
	switch {
	case errors.Is(err, bot.ErrSignature):
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	case r.Method == http.MethodGet:
		_, _ = w.Write(plain)
		return
	}
	ev, err := parse(plain)
	if err != nil {
		return // empty 200
	}
	b.mu.Lock()
	b.events = append(b.events, ev)
	b.mu.Unlock()
	if ev.Kind != bot.KindMessage {
		return
	}
	var reply []byte
	if c == b.aibot {
		reply, err = b.aibotOut.AIBotReply("s-"+ev.ID, "echo: "+ev.Text, ts, nonce)
	} else {
		reply, err = c.AppReply(ev.From, "ww1", "echo: "+ev.Text, ts, nonce, time.Unix(1, 0))
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	_, _ = w.Write(reply)
}

func (b *tinyBot) last(t *testing.T) bot.Event {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.events) == 0 {
		t.Fatal("no event recorded")
	}
	return b.events[len(b.events)-1]
}

var clock = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newSender(base string) *wecomtest.Sender {
	return &wecomtest.Sender{Base: base, AIBot: aibotKeys, App: appKeys, Now: func() time.Time { return clock },
		ResponseURL: "http://fake.invalid/cgi-bin/aibot/response"}
}

func TestAIBotTextRoundTrip(t *testing.T) {
	b, srv := newTinyBot(t, aibotKeys)
	s := newSender(srv.URL)
	r, err := s.AIBotText(context.Background(), "M1", "G1", "alice", "签到")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != 200 || r.Text != "echo: 签到" {
		t.Errorf("reply = %d %q, want 200 %q", r.Status, r.Text, "echo: 签到")
	}
	ev := b.last(t)
	if ev.ID != "M1" || ev.ChatID != "G1" || ev.From != "alice" || !ev.At.Equal(clock) ||
		ev.ResponseURL != "http://fake.invalid/cgi-bin/aibot/response?response_code=M1" {
		t.Errorf("event = %+v", ev)
	}
	r, err = s.AIBotText(context.Background(), "M2", "", "alice", "/points")
	if err != nil || r.Text != "echo: /points" || b.last(t).ChatID != "" {
		t.Errorf("1:1 reply = %q, %v; event %+v", r.Text, err, b.last(t))
	}
}

func TestSenderFailsOnBadReplySignature(t *testing.T) {
	_, srv := newTinyBot(t, wecomtest.Keys{Token: "someone-else"})
	if _, err := newSender(srv.URL).AIBotText(context.Background(), "M1", "G1", "alice", "hi"); !errors.Is(err, bot.ErrSignature) {
		t.Errorf("err = %v, want ErrSignature", err)
	}
}

func TestAppCallbacksRoundTrip(t *testing.T) {
	b, srv := newTinyBot(t, aibotKeys)
	s := newSender(srv.URL)
	ctx := context.Background()
	r, err := s.AppText(ctx, "42", "admin", " /in G1 /warn bob ")
	if err != nil || r.Text != "echo: /in G1 /warn bob" || b.last(t).ID != "app:42" {
		t.Fatalf("app text reply = %q, %v; event %+v", r.Text, err, b.last(t))
	}

	join := wecomtest.MemberChange{ChatID: "G3", Detail: "add_member", UserIDs: []string{"bob", "carol"}, Scene: 3, LastMemVer: "v1", CurMemVer: "v2"}
	r, err = s.AppMemberChange(ctx, join)
	if err != nil || r.Status != 200 || r.Text != "" {
		t.Fatalf("member change reply = %+v, %v; want empty 200", r, err)
	}
	ev := b.last(t)
	want := bot.MemberChange{ChangeType: "update", UpdateDetail: "add_member", UserIDs: []string{"bob", "carol"}, Count: 2, JoinScene: 3, LastMemVer: "v1", CurMemVer: "v2"}
	if ev.Kind != bot.KindMemberJoin || ev.ChatID != "G3" || ev.From != "sys" || !ev.At.Equal(clock) || !sameMember(ev.Member, want) {
		t.Errorf("join event = %+v", ev)
	}
	firstID := ev.ID
	_, _ = s.AppMemberChange(ctx, join)
	if again := b.last(t).ID; again != firstID {
		t.Errorf("redelivered join ID = %s, want %s", again, firstID)
	}
	_, _ = s.AppMemberChange(ctx, wecomtest.MemberChange{ChatID: "G3", Detail: "del_member", UserIDs: []string{"bob"}, Scene: 1})
	if ev := b.last(t); ev.Kind != bot.KindMemberLeave || ev.Member.QuitScene != 1 {
		t.Errorf("leave event = %+v", ev)
	}
	_, _ = s.AppMemberChange(ctx, wecomtest.MemberChange{ChatID: "G3", Detail: "dismiss"})
	if ev := b.last(t); ev.Kind != bot.KindGroupChange || ev.Member.ChangeType != "dismiss" || ev.Member.UpdateDetail != "" {
		t.Errorf("dismiss event = %+v", ev)
	}

	_, err = s.AppCardClick(ctx, "admin", "remove:7", "task-7", time.Time{})
	ev = b.last(t)
	if err != nil || ev.Kind != bot.KindCardClick || ev.From != "admin" || ev.Card != (bot.CardClick{EventKey: "remove:7", TaskID: "task-7", CardType: "button_interaction"}) {
		t.Errorf("card event = %+v, %v", ev, err)
	}
}

func sameMember(a, b bot.MemberChange) bool {
	return a.ChangeType == b.ChangeType && a.UpdateDetail == b.UpdateDetail && a.Count == b.Count &&
		a.JoinScene == b.JoinScene && a.LastMemVer == b.LastMemVer && a.CurMemVer == b.CurMemVer &&
		len(a.UserIDs) == len(b.UserIDs) && (len(a.UserIDs) == 0 || a.UserIDs[0] == b.UserIDs[0])
}

func TestVerifyURLAndRawPosts(t *testing.T) {
	_, srv := newTinyBot(t, aibotKeys)
	s := newSender(srv.URL)
	ctx := context.Background()
	for _, path := range []string{"/wecom/aibot", "/wecom/app"} {
		r, err := s.VerifyURL(ctx, path, "echo-123")
		if err != nil || r.Status != 200 || r.Text != "echo-123" {
			t.Errorf("%s verify = %+v, %v", path, r, err)
		}
	}
	ts := strconv.FormatInt(clock.Unix(), 10)
	q := url.Values{"msg_signature": {"0000"}, "timestamp": {ts}, "nonce": {"1"}}
	for body, want := range map[string]int{`{"encrypt":"abc"}`: 401, `not json`: 400} {
		resp, _, err := s.Post(ctx, "/wecom/aibot", []byte(body), q)
		if err != nil || resp.StatusCode != want {
			t.Errorf("raw %s: status %v, %v; want %d", body, resp, err, want)
		}
	}
}
