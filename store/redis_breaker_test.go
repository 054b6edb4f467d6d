package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/store"
)

// Once a call finds Redis unreachable, the next ones fail at once (no dial,
// no retries) until the cooldown has passed; then Redis is tried again.
func TestRedisDownFailsFastThenRecovers(t *testing.T) {
	mr := miniredis.RunT(t)
	clk := newClock()
	s, err := store.Open(ctx, store.Options{DataDir: t.TempDir(), RedisURL: "redis://" + mr.Addr(), Now: clk.Now})
	must(t, err)
	t.Cleanup(func() { s.Close() })
	must(t, s.CacheReply(ctx, "m1", "hi"))

	mr.Close()
	if _, _, err := s.CachedReply(ctx, "m1"); err == nil || errors.Is(err, store.ErrRedisDown) {
		t.Fatalf("first call with Redis down: err = %v, want the connection error", err)
	}
	if _, _, err := s.CachedReply(ctx, "m1"); !errors.Is(err, store.ErrRedisDown) {
		t.Errorf("second call: err = %v, want ErrRedisDown without trying", err)
	}
	if err := s.PingRedis(ctx); !errors.Is(err, store.ErrRedisDown) {
		t.Errorf("ping: err = %v, want ErrRedisDown", err)
	}

	must(t, mr.Restart())
	clk.Advance(time.Minute)
	if got, ok, err := s.CachedReply(ctx, "m1"); err != nil || !ok || got != "hi" {
		t.Errorf("after Redis came back: %q, %v, %v; want the cached reply", got, ok, err)
	}
}

// Rate limits live in Redis: without it, a rate-limited row waits, and the
// rows behind it that need no limit (a late reply, an appchat post) still go.
func TestOutboxGoesOnWithoutRedis(t *testing.T) {
	mr := miniredis.RunT(t)
	clk := newClock()
	s, err := store.Open(ctx, store.Options{DataDir: t.TempDir(), RedisURL: "redis://" + mr.Addr(), Now: clk.Now})
	must(t, err)
	t.Cleanup(func() { s.Close() })
	must(t, s.Enqueue(ctx, t0,
		bot.Action{Kind: bot.ActWebhookSend, WebhookKey: "k1", Text: "欢迎"},
		bot.Action{Kind: bot.ActResponseURL, URL: "https://example.invalid/r", Text: "签到成功"},
		bot.Action{Kind: bot.ActAppChatSend, ChatID: "G2", Text: "周报"}))
	mr.Close()

	f := &fakeSender{}
	w := s.NewWorker(store.WorkerOptions{Sender: f})
	n, err := w.RunOnce(ctx)
	if err != nil || n != 2 {
		t.Fatalf("RunOnce with Redis down = %d, %v; want the 2 rows without a limit delivered", n, err)
	}
	must(t, mr.Restart())
	clk.Advance(time.Minute)
	if got := drain(t, w); got != 1 {
		t.Errorf("delivered %d once Redis is back, want the webhook post", got)
	}
}
