package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

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
