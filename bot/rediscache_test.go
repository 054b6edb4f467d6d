package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/qunbot/qunbot/bot"
)

func TestRedisTokenCache(t *testing.T) {
	mr := miniredis.RunT(t)
	c := bot.NewRedisTokenCache(redis.NewClient(&redis.Options{Addr: mr.Addr()}))
	if got := c.Get("k"); got != nil {
		t.Errorf("Get of a missing key = %v, want nil", got)
	}
	if err := c.Set("k", "tok", time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := c.Get("k"); got != "tok" || !c.IsExist("k") {
		t.Errorf("Get = %v, IsExist = %v; want tok, true", got, c.IsExist("k"))
	}
	mr.FastForward(2 * time.Minute)
	if c.IsExist("k") {
		t.Error("key outlived its TTL")
	}
	_ = c.Set("k", "tok", time.Minute)
	if err := c.Delete("k"); err != nil || c.IsExist("k") {
		t.Errorf("Delete = %v, IsExist after = %v", err, c.IsExist("k"))
	}
	if err := c.Delete("k"); err != nil {
		t.Errorf("Delete of a missing key = %v", err)
	}
}

// TestReplicasShareTokens runs two clients on one Redis: one gettoken.
func TestReplicasShareTokens(t *testing.T) {
	api, _ := newFake(t)
	mr := miniredis.RunT(t)
	cfg := bot.ClientConfig{APIBase: api.URL(), CorpID: "ww1", AgentID: 1000002, Secret: secret}
	for i := 0; i < 2; i++ {
		cfg.Tokens = bot.NewRedisTokenCache(redis.NewClient(&redis.Options{Addr: mr.Addr()}))
		if err := bot.NewClient(cfg).AppChatSend(context.Background(), "G1", "hi"); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(api.CallsTo("gettoken")); got != 1 {
		t.Errorf("gettoken calls = %d, want 1", got)
	}
	ttl := mr.TTL("qunbot:wecom:token:ww1:1000002")
	if ttl <= 0 || ttl >= 7200*time.Second {
		t.Errorf("token TTL = %v, want below WeCom's 7200s", ttl)
	}
}

// A token WeCom gave is used even when Redis cannot keep it: losing the
// shared cache costs extra gettoken calls, not the delivery.
func TestTokenUsedWhenTheCacheIsDown(t *testing.T) {
	api, _ := newFake(t)
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1})
	mr.Close()
	c := bot.NewClient(bot.ClientConfig{APIBase: api.URL(), CorpID: "ww1", AgentID: 1000002, Secret: secret,
		Tokens: bot.NewRedisTokenCache(rdb)})
	if err := c.AppChatSend(context.Background(), "G1", "hi"); err != nil {
		t.Fatalf("AppChatSend with the token cache down: %v", err)
	}
	if got := len(api.CallsTo("appchat/send")); got != 1 {
		t.Errorf("appchat/send calls = %d, want 1", got)
	}
}
