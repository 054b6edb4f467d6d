package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/wecomtest"
	"github.com/qunbot/qunbot/store"
)

func TestTokenCache(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, _ *clock) {
		c := s.TokenCache()
		if got := c.Get("k"); got != nil {
			t.Errorf("Get of a missing key = %v, want nil", got)
		}
		if err := c.Set("k", "tok", time.Minute); err != nil {
			t.Fatal(err)
		}
		if got := c.Get("k"); got != "tok" || !c.IsExist("k") {
			t.Errorf("Get = %v, IsExist = %v; want tok, true", got, c.IsExist("k"))
		}
		if err := c.Delete("k"); err != nil || c.IsExist("k") {
			t.Errorf("Delete = %v, IsExist after = %v", err, c.IsExist("k"))
		}
		if err := c.Delete("k"); err != nil {
			t.Errorf("Delete of a missing key = %v", err)
		}
	})
}

// Two replicas on one Redis share one access token: one gettoken call, kept
// under the store's key for it and for less than WeCom's 7200 s.
func TestReplicasShareTokens(t *testing.T) {
	api := wecomtest.NewAPI()
	t.Cleanup(api.Close)
	mr := miniredis.RunT(t)
	cfg := bot.ClientConfig{APIBase: api.URL(), CorpID: "ww1", AgentID: 1000002, Secret: "s"}
	for range 2 {
		s, err := store.Open(ctx, store.Options{DataDir: t.TempDir(), RedisURL: "redis://" + mr.Addr()})
		must(t, err)
		t.Cleanup(func() { s.Close() })
		cfg.Tokens = s.TokenCache()
		if err := bot.NewClient(cfg).AppChatSend(context.Background(), "G1", "hi"); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(api.CallsTo("/cgi-bin/gettoken")); got != 1 {
		t.Errorf("gettoken calls = %d, want 1", got)
	}
	ttl := mr.TTL("qunbot:wecom:access_token:ww1:1000002")
	if ttl <= 0 || ttl >= 7200*time.Second {
		t.Errorf("token TTL = %v, want below WeCom's 7200s", ttl)
	}
}

// A token WeCom gave is used even when Redis cannot keep it: losing the
// shared cache costs extra gettoken calls, not the delivery.
func TestTokenUsedWhenTheCacheIsDown(t *testing.T) {
	api := wecomtest.NewAPI()
	t.Cleanup(api.Close)
	mr := miniredis.RunT(t)
	s, err := store.Open(ctx, store.Options{DataDir: t.TempDir(), RedisURL: "redis://" + mr.Addr()})
	must(t, err)
	t.Cleanup(func() { s.Close() })
	mr.Close()
	c := bot.NewClient(bot.ClientConfig{APIBase: api.URL(), CorpID: "ww1", AgentID: 1000002, Secret: "s",
		Tokens: s.TokenCache()})
	if err := c.AppChatSend(context.Background(), "G1", "hi"); err != nil {
		t.Fatalf("AppChatSend with the token cache down: %v", err)
	}
	if got := len(api.CallsTo("/cgi-bin/appchat/send")); got != 1 {
		t.Errorf("appchat/send calls = %d, want 1", got)
	}
}
