package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/qunbot/qunbot/store"
)

func TestReplyCache(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		if _, ok, err := s.CachedReply(ctx, "m1"); ok || err != nil {
			t.Fatalf("CachedReply(absent) ok=%v err=%v; want false, nil", ok, err)
		}
		must(t, s.CacheReply(ctx, "m1", ""))
		must(t, s.CacheReply(ctx, "m2", "签到成功"))
		tests := []struct{ id, want string }{{"m1", ""}, {"m2", "签到成功"}}
		for _, tt := range tests {
			got, ok, err := s.CachedReply(ctx, tt.id)
			if err != nil || !ok || got != tt.want {
				t.Errorf("CachedReply(%s) = %q, %v, %v; want %q, true", tt.id, got, ok, err, tt.want)
			}
		}
		ttl := ttlOf(t, s, "reply:m2")
		if ttl <= 59*time.Minute || ttl > time.Hour {
			t.Errorf("reply TTL = %v, want about 1h", ttl)
		}
	})
}

// ttlOf finds the one key ending in suffix and returns its TTL.
func ttlOf(t *testing.T, s *store.Store, suffix string) time.Duration {
	t.Helper()
	keys, err := s.Redis().Keys(ctx, "*"+suffix).Result()
	must(t, err)
	if len(keys) != 1 {
		t.Fatalf("keys matching *%s = %v, want one", suffix, keys)
	}
	ttl, err := s.Redis().TTL(ctx, keys[0]).Result()
	must(t, err)
	return ttl
}

func TestTryLock(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		steps := []struct {
			name string
			want bool
		}{{"report:G1:2026-11-21", true}, {"report:G1:2026-11-21", false}, {"report:G2:2026-11-21", true}}
		for _, st := range steps {
			got, err := s.TryLock(ctx, st.name, time.Minute)
			if err != nil || got != st.want {
				t.Errorf("TryLock(%s) = %v, %v; want %v", st.name, got, err, st.want)
			}
		}
		if ttl := ttlOf(t, s, "lock:report:G1:2026-11-21"); ttl <= 0 || ttl > time.Minute {
			t.Errorf("lock TTL = %v, want within 1m", ttl)
		}
	})
}

func TestSettingsPubSub(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		subCtx, cancel := context.WithCancel(ctx)
		got := make(chan string, 10)
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.SubscribeSettings(subCtx, func(chatID string) { got <- chatID })
		}()
		// Publish until the subscriber is listening; pub/sub drops earlier messages.
		deadline := time.After(10 * time.Second)
		for received := false; !received; {
			must(t, s.PublishSettingsChanged(ctx, "G1"))
			select {
			case id := <-got:
				if id != "G1" {
					t.Fatalf("subscriber got %q, want G1", id)
				}
				received = true
			case <-time.After(50 * time.Millisecond):
			case <-deadline:
				t.Fatal("subscriber never received G1")
			}
		}
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("SubscribeSettings did not return after cancel")
		}
	})
}
