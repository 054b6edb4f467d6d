package bot_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/wecomtest"
)

const secret = "s3cret-value"

func newFake(t *testing.T) (*wecomtest.API, *bot.Client) {
	t.Helper()
	api := wecomtest.NewAPI()
	t.Cleanup(api.Close)
	api.SetCredentials("ww1", secret)
	return api, bot.NewClient(bot.ClientConfig{APIBase: api.URL(), CorpID: "ww1", AgentID: 1000002, Secret: secret})
}

func TestTokenIsCached(t *testing.T) {
	api, c := newFake(t)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if err := c.AppChatSend(ctx, "G1", "hi"); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(api.CallsTo("gettoken")); got != 1 {
		t.Errorf("gettoken calls = %d, want 1", got)
	}
	if got := len(api.CallsTo("appchat/send")); got != 5 {
		t.Errorf("appchat/send calls = %d, want 5", got)
	}
}

func TestTokenSingleFlight(t *testing.T) {
	api, c := newFake(t)
	api.OnCall(func(call wecomtest.Call) {
		if strings.HasSuffix(call.Path, "/gettoken") {
			time.Sleep(50 * time.Millisecond) // let the other callers pile up
		}
	})
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- c.SendText(context.Background(), []string{"bob"}, "hi")
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := len(api.CallsTo("gettoken")); got != 1 {
		t.Errorf("gettoken calls = %d, want 1", got)
	}
}

func TestExpiredTokenIsRefetchedOnce(t *testing.T) {
	api, c := newFake(t)
	ctx := context.Background()
	if err := c.AppChatSend(ctx, "G1", "one"); err != nil {
		t.Fatal(err)
	}
	api.ExpireTokens()
	if err := c.AppChatSend(ctx, "G1", "two"); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if got := len(api.CallsTo("gettoken")); got != 2 {
		t.Errorf("gettoken calls = %d, want 2", got)
	}
	if got := len(api.CallsTo("appchat/send")); got != 3 {
		t.Errorf("appchat/send calls = %d, want 3 (one, two rejected, two retried)", got)
	}
}

func TestInvalidTokenRetriesOnlyOnce(t *testing.T) {
	api, c := newFake(t)
	api.FailNext("appchat/send", 40014)
	api.FailNext("appchat/send", 40014)
	err := c.AppChatSend(context.Background(), "G1", "hi")
	var ae *bot.APIError
	if !errors.As(err, &ae) || ae.Code != 40014 || ae.API != "appchat/send" {
		t.Fatalf("err = %v, want APIError 40014 from appchat/send", err)
	}
	if bot.Permanent(err) {
		t.Error("a token error that survived the refresh is permanent, want temporary")
	}
	if got := len(api.CallsTo("appchat/send")); got != 2 {
		t.Errorf("appchat/send calls = %d, want 2", got)
	}
}

func TestErrcodeMapping(t *testing.T) {
	tests := []struct {
		code      int
		permanent bool
	}{
		{86003, true}, {86001, true}, {60011, true}, {48002, true}, {40003, true}, {86216, true},
		{93000, true}, {93004, true}, {93008, true}, {60020, true}, {40001, true}, {40013, true},
		{-1, false}, {45009, false}, {45033, false},
	}
	for _, tt := range tests {
		api, c := newFake(t)
		api.FailNext("webhook/send", tt.code)
		err := c.WebhookSend(context.Background(), "KEY", "hi", nil)
		var ae *bot.APIError
		if !errors.As(err, &ae) || ae.Code != tt.code {
			t.Fatalf("code %d: err = %v", tt.code, err)
		}
		if got := bot.Permanent(err); got != tt.permanent {
			t.Errorf("code %d: Permanent = %v, want %v", tt.code, got, tt.permanent)
		}
	}
}

func TestBadSecretIsPermanent(t *testing.T) {
	api, _ := newFake(t)
	c := bot.NewClient(bot.ClientConfig{APIBase: api.URL(), CorpID: "ww1", AgentID: 1, Secret: "wrong"})
	err := c.AppChatSend(context.Background(), "G1", "hi")
	if !bot.Permanent(err) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("err = %v, want a permanent error that does not show the secret", err)
	}
}

func TestTransportFailuresAreTemporaryAndRedacted(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "webhook") {
			time.Sleep(300 * time.Millisecond)
			return
		}
		http.Error(w, "boom", http.StatusBadGateway)
	}))
	defer slow.Close()
	c := bot.NewClient(bot.ClientConfig{APIBase: slow.URL, CorpID: "ww1", Secret: secret, HTTP: &http.Client{Timeout: 50 * time.Millisecond}})
	ctx := context.Background()
	for name, err := range map[string]error{
		"timeout":  c.WebhookSend(ctx, "WEBHOOK-KEY", "hi", nil),
		"HTTP 502": c.AppChatSend(ctx, "G1", "hi"),
	} {
		if err == nil || bot.Permanent(err) {
			t.Errorf("%s: err = %v, want a temporary error", name, err)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "WEBHOOK-KEY") || strings.Contains(msg, secret) {
			t.Errorf("%s: error %q leaks a credential", name, msg)
		}
	}
}

func TestNoSecretDisablesTokenCalls(t *testing.T) {
	api := wecomtest.NewAPI()
	defer api.Close()
	c := bot.NewClient(bot.ClientConfig{APIBase: api.URL(), CorpID: "ww1"})
	_, err := c.Deliver(context.Background(), bot.Action{Kind: bot.ActAppChatSend, ChatID: "G1", Text: "hi"})
	if !errors.Is(err, bot.ErrAPIDisabled) || !bot.Permanent(err) {
		t.Errorf("err = %v, want permanent ErrAPIDisabled", err)
	}
	if n := len(api.Calls()); n != 0 {
		t.Errorf("calls = %d, want 0", n)
	}
	if _, err := c.Deliver(context.Background(), bot.Action{Kind: bot.ActWebhookSend, WebhookKey: "K", Text: "hi"}); err != nil {
		t.Errorf("webhook without secret: %v", err)
	}
}

func TestContextCancelStopsWaiting(t *testing.T) {
	api, c := newFake(t)
	api.OnCall(func(call wecomtest.Call) { time.Sleep(200 * time.Millisecond) })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := c.AppChatSend(ctx, "G1", "hi"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}
