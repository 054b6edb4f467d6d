package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/qunbot/qunbot/bot/wecomtest"
)

// replica starts a second app on the same database and Redis as h, the way a
// second replica behind a load balancer would run.
func (h *harness) replica() *harness {
	h.t.Helper()
	cfg := *h.cfg
	if cfg.RedisURL == "" { // share the first replica's embedded Redis
		cfg.RedisURL = "redis://" + h.app.store.Redis().(*redis.Client).Options().Addr
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	b, err := newApp(context.Background(), &cfg, log, appOptions{now: h.clock.Now, manual: true, keyPrefix: h.keyPrefix, lease: testLease})
	if err != nil {
		h.t.Fatalf("replica: %v", err)
	}
	h.t.Cleanup(b.close)
	var killConn func()
	if b.longconn != nil {
		killConn = startLongConn(h.t, b)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.t.Cleanup(cancel)
	go b.followSettings(ctx)
	srv := httptest.NewServer(b.handler)
	h.t.Cleanup(srv.Close)
	r := &harness{t: h.t, app: b, api: h.api, srv: srv, clock: h.clock, cfg: &cfg, keyPrefix: h.keyPrefix, seq: 1000, ws: h.ws, killConn: killConn}
	r.send = &wecomtest.Sender{Base: srv.URL, Now: h.clock.Now, AIBot: h.send.AIBot, App: h.send.App}
	return r
}

func TestConfigChangeReachesEveryReplica(t *testing.T) {
	a := newHarness(t)
	b := a.replica()
	contains(t, b.say("G1", "bob", "规则"), "友善交流") // b now has G1's settings compiled and cached
	contains(t, a.say("G1", "owner1", "/config rules 只聊产品，不发广告"), "rules")
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := b.say("G1", "bob", "规则")
		if strings.Contains(got, "只聊产品") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica still shows %q", got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestReplicasShareExactlyOnce(t *testing.T) {
	a := newHarness(t)
	b := a.replica()
	first := a.sayID("dup-1", "G1", "owner1", "/admin add carol")
	second := b.sayID("dup-1", "G1", "owner1", "/admin add carol")
	if first != second {
		t.Errorf("replica b answered %q, a answered %q", second, first)
	}
}
