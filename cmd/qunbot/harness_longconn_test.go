package main

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot/wecomtest"
)

// The fake long-connection server's credentials and the harness's heartbeat.
const (
	testBotID     = "aib-e2e"
	testBotSecret = "ws-e2e-secret"
	// testWSPing is short so tests see pings; long enough that a loaded
	// machine answers two in a row (two unanswered pings drop the connection).
	testWSPing = 200 * time.Millisecond
)

// testLease is a short lease, so a replica takes over within about three
// seconds; a holder closes its socket after two seconds without a renewal.
var testLease = leaseTiming{ttl: 3 * time.Second, renew: 250 * time.Millisecond,
	retry: 100 * time.Millisecond, margin: time.Second}

// withLease sets the long connection's lease timing (the zero value is the
// production default).
func withLease(lt leaseTiming) harnessOption { return func(s *harnessSetup) { s.lease = lt } }

// withLongConn runs the harness in long-connection mode against a fake
// WeCom long-connection server (h.ws).
func withLongConn() harnessOption { return func(s *harnessSetup) { s.longConn = true } }

func fakeLongConn(t testing.TB, env map[string]string) *wecomtest.LongConn {
	ws := wecomtest.NewLongConn(testBotID, testBotSecret)
	t.Cleanup(ws.Close)
	env["QUNBOT_AIBOT_BOT_ID"], env["QUNBOT_AIBOT_SECRET"] = testBotID, testBotSecret
	env["QUNBOT_AIBOT_WS_URL"], env["QUNBOT_AIBOT_WS_PING"] = ws.URL(), testWSPing.String()
	return ws
}

// startLongConn runs a's long connection until the test ends; kill stops it
// the way a dying process would: the socket closes, the lease is never
// released.
func startLongConn(t testing.TB, a *app) (kill func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = a.longconn.Run(ctx) }()
	var once sync.Once
	kill = func() {
		once.Do(func() {
			cancel()
			<-done
			a.longconn.Wait()
		})
	}
	t.Cleanup(kill)
	return kill
}

// wsCtx bounds a wait on the fake long-connection server.
func (h *harness) wsCtx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	h.t.Cleanup(cancel)
	return ctx
}

// subscribed waits until the bot has subscribed n times in all.
func (h *harness) subscribed(n int) {
	h.t.Helper()
	if err := h.ws.WaitSubscribed(h.wsCtx(), n); err != nil {
		h.t.Fatalf("long connection: %d subscribes, want %d: %v", h.ws.Subscribes(), n, err)
	}
}

// wsSay sends an @-message over the long connection and returns the answer.
func (h *harness) wsSay(chatID, from, text string) string {
	h.t.Helper()
	return h.wsSayID(h.nextID("ws"), chatID, from, text)
}

// wsSayID is wsSay with a fixed msgid, for redelivery tests.
func (h *harness) wsSayID(msgID, chatID, from, text string) string {
	h.t.Helper()
	got, err := h.ws.Say(h.wsCtx(), msgID, chatID, from, text)
	if err != nil {
		h.t.Fatalf("long connection: %s: %v", text, err)
	}
	return got
}

// sends returns what the bot posted with aibot_send_msg into chat.
func (h *harness) sends(chat string) []string {
	var out []string
	for _, f := range h.ws.Frames("aibot_send_msg") {
		if f.Str("chatid") == chat {
			out = append(out, f.Content())
		}
	}
	return out
}
