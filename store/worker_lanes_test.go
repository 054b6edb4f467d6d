package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/wecomtest"
	"github.com/qunbot/qunbot/store"
)

// running runs w.Run until the test ends and checks that it returns.
func running(t *testing.T, w *store.Worker) {
	t.Helper()
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- w.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run() = %v after cancel, want nil", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
}

// waitFor polls cond until it holds; it fails the test after 20 s, which no
// correct worker comes near.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
	}
}

func statusCount(t *testing.T, s *store.Store, status string) int {
	t.Helper()
	return len(byStatus(t, s)[status])
}

// byStatus reads the whole outbox at once, by status.
func byStatus(t *testing.T, s *store.Store) map[string][]store.OutboxEntry {
	t.Helper()
	es, err := s.OutboxEntries(ctx, "", 1000)
	must(t, err)
	by := map[string][]store.OutboxEntry{}
	for _, e := range es {
		by[e.Status] = append(by[e.Status], e)
	}
	return by
}

// One destination's call hangs in the fake WeCom API: the other
// destinations' rows, written after it, are delivered meanwhile; the hung
// destination's later rows wait their turn and go in order once it answers.
func TestWorkerHungDestinationHoldsUpNoOther(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		api := wecomtest.NewAPI()
		t.Cleanup(api.Close)
		release, hung := make(chan struct{}), make(chan struct{}, 3)
		api.OnCall(func(c wecomtest.Call) {
			if c.Path == "/cgi-bin/webhook/send" && c.Query.Get("key") == "stuck" {
				hung <- struct{}{}
				<-release
			}
		})
		t.Cleanup(func() {
			select {
			case <-release:
			default:
				close(release)
			}
		})
		webhook := func(key, text string) bot.Action {
			return bot.Action{Kind: bot.ActWebhookSend, WebhookKey: key, Text: text}
		}
		must(t, s.Enqueue(ctx, t0,
			webhook("stuck", "s1"), webhook("stuck", "s2"),
			bot.Action{Kind: bot.ActAppChatSend, ChatID: "G2", Text: "a1"},
			webhook("k2", "w1"),
			bot.Action{Kind: bot.ActAppMessage, To: []string{"alice"}, Text: "m1"},
			bot.Action{Kind: bot.ActResponseURL, URL: api.ResponseURL("rc1"), Text: "r1"},
			webhook("stuck", "s3"),
			bot.Action{Kind: bot.ActAppChatSend, ChatID: "G2", Text: "a2"},
		))
		client := bot.NewClient(bot.ClientConfig{APIBase: api.URL(), CorpID: "ww1", AgentID: 1000002, Secret: "s",
			Tokens: s.TokenCache()})
		running(t, s.NewWorker(store.WorkerOptions{Sender: client, Poll: 10 * time.Millisecond}))

		<-hung
		others := []string{"/cgi-bin/aibot/response", "/cgi-bin/appchat/send", "/cgi-bin/appchat/send", "/cgi-bin/message/send"} // sorted
		waitFor(t, "the other destinations", func() bool {
			return len(webhookTexts(api, "k2")) == 1 && slices.Equal(callPaths(api, others), others)
		})
		if got := webhookTexts(api, "stuck"); !slices.Equal(got, []string{"s1"}) {
			t.Errorf("calls to the hung webhook while it hangs: %q, want s1 alone", got)
		}
		if got := appchatTexts(api); !slices.Equal(got, []string{"a1", "a2"}) {
			t.Errorf("appchat posts %q, want a1 then a2", got)
		}
		close(release)
		waitFor(t, "every row delivered", func() bool { return statusCount(t, s, "done") == 8 })
		if got := webhookTexts(api, "stuck"); !slices.Equal(got, []string{"s1", "s2", "s3"}) {
			t.Errorf("hung webhook's posts %q, want s1, s2, s3 in order", got)
		}
	})
}

func webhookTexts(api *wecomtest.API, key string) []string {
	var out []string
	for _, c := range api.CallsTo("/cgi-bin/webhook/send") {
		if c.Query.Get("key") == key {
			text, _ := c.JSON()["text"].(map[string]any)
			out = append(out, fmt.Sprint(text["content"]))
		}
	}
	return out
}

func appchatTexts(api *wecomtest.API) []string {
	var out []string
	for _, c := range api.CallsTo("/cgi-bin/appchat/send") {
		text, _ := c.JSON()["text"].(map[string]any)
		out = append(out, fmt.Sprint(text["content"]))
	}
	return out
}

// callPaths are the calls made to any of paths, sorted.
func callPaths(api *wecomtest.API, paths []string) []string {
	var out []string
	for _, c := range api.Calls() {
		if slices.Contains(paths, c.Path) {
			out = append(out, c.Path)
		}
	}
	slices.Sort(out)
	return out
}

// gateSender holds every delivery until released, and records the most
// deliveries it held at once.
type gateSender struct {
	entered chan string
	release chan struct{}

	mu        sync.Mutex
	in, most  int
	delivered []string
}

func (g *gateSender) Deliver(_ context.Context, a bot.Action) (bot.Result, error) {
	g.mu.Lock()
	g.in++
	g.most = max(g.most, g.in)
	g.mu.Unlock()
	g.entered <- a.ChatID
	<-g.release
	g.mu.Lock()
	g.in--
	g.delivered = append(g.delivered, a.ChatID)
	g.mu.Unlock()
	return bot.Result{}, nil
}

// At most MaxInFlight calls are made at once, and that many are.
func TestWorkerBoundsCallsInFlight(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		for i := range 5 {
			must(t, s.Enqueue(ctx, t0, bot.Action{Kind: bot.ActAppChatSend, ChatID: fmt.Sprintf("G%d", i+1), Text: "hi"}))
		}
		g := &gateSender{entered: make(chan string, 5), release: make(chan struct{}, 5)}
		running(t, s.NewWorker(store.WorkerOptions{Sender: g, Poll: 10 * time.Millisecond, MaxInFlight: 2}))
		<-g.entered
		<-g.entered // two calls held at once
		for range 5 {
			g.release <- struct{}{}
		}
		waitFor(t, "every row delivered", func() bool { return statusCount(t, s, "done") == 5 })
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.most != 2 || len(g.delivered) != 5 {
			t.Errorf("at most %d calls at once, %d delivered; want 2 and 5", g.most, len(g.delivered))
		}
	})
}

// Two workers sending to one member through different destinations (alone,
// and with bob) share the member's 30/min: exactly 30 go out now, each row
// once, and the rest wait for the window.
func TestWorkerLanesShareRateLimits(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		var actions []bot.Action
		for i := range 35 {
			to := []string{"alice"}
			if i%3 == 0 {
				to = append(to, "bob")
			}
			actions = append(actions, bot.Action{Kind: bot.ActAppMessage, To: to, Text: fmt.Sprint(i)})
		}
		must(t, s.Enqueue(ctx, t0, actions...))
		f := &fakeSender{}
		for range 2 {
			running(t, s.NewWorker(store.WorkerOptions{Sender: f, Poll: 10 * time.Millisecond}))
		}
		var by map[string][]store.OutboxEntry
		waitFor(t, "30 delivered and 5 deferred", func() bool {
			by = byStatus(t, s)
			return len(by["done"]) == 30 && len(by["pending"]) == 5 &&
				!slices.ContainsFunc(by["pending"], func(e store.OutboxEntry) bool { return !e.NextAttemptAt.After(t0) })
		})
		seen := map[string]int{}
		f.mu.Lock()
		for _, a := range f.got {
			seen[a.Text]++
		}
		f.mu.Unlock()
		for text, n := range seen {
			if n != 1 {
				t.Errorf("message %s delivered %d times", text, n)
			}
		}
		for _, e := range by["pending"] {
			if e.Attempts != 0 || !e.NextAttemptAt.Equal(t0.Add(time.Minute)) {
				t.Errorf("deferred row %+v: want no attempt, due when the window has passed", e)
			}
		}
	})
}

// Four running workers in two replicas deliver every row exactly once, each
// destination's rows in order when one worker delivered them all.
func TestRunningWorkersNeverDeliverTwice(t *testing.T) {
	eachBackendTwice(t, func(t *testing.T, a, b *store.Store, clk *clock) {
		const rows = 60
		for i := range rows {
			must(t, a.Enqueue(ctx, t0, bot.Action{Kind: bot.ActAppChatSend, ChatID: fmt.Sprintf("G%d", i%6), Text: fmt.Sprint(i)}))
		}
		f := &fakeSender{fn: func(bot.Action) (bot.Result, error) {
			time.Sleep(time.Millisecond) // let the workers interleave
			return bot.Result{}, nil
		}}
		for _, s := range []*store.Store{a, b, a, b} {
			running(t, s.NewWorker(store.WorkerOptions{Sender: f, Poll: 10 * time.Millisecond}))
		}
		waitFor(t, "every row delivered", func() bool { return statusCount(t, a, "done") == rows })
		seen := map[string]int{}
		f.mu.Lock()
		for _, act := range f.got {
			seen[act.Text]++
		}
		f.mu.Unlock()
		for i := range rows {
			if n := seen[fmt.Sprint(i)]; n != 1 {
				t.Errorf("row %d delivered %d times, want 1", i, n)
			}
		}
	})
}

// Destinations whose calls fail, for now or for good, are retried with
// back-off or marked failed in their lanes while the others are delivered.
func TestWorkerFailingDestinationHoldsUpNoOther(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		for _, chat := range []string{"Gdown", "Ggone", "G1", "Gdown", "G2"} {
			must(t, s.Enqueue(ctx, t0, bot.Action{Kind: bot.ActAppChatSend, ChatID: chat, Text: "hi"}))
		}
		f := &fakeSender{fn: func(a bot.Action) (bot.Result, error) {
			switch a.ChatID {
			case "Gdown":
				return bot.Result{}, errors.New("errcode -1: system busy")
			case "Ggone":
				return bot.Result{}, permanentErr{}
			}
			return bot.Result{}, nil
		}}
		running(t, s.NewWorker(store.WorkerOptions{Sender: f, Poll: 10 * time.Millisecond}))
		var by map[string][]store.OutboxEntry
		waitFor(t, "every row tried", func() bool {
			by = byStatus(t, s)
			return len(by["done"]) == 2 && len(by["failed"]) == 1 && len(by["pending"]) == 2 &&
				!slices.ContainsFunc(by["pending"], func(e store.OutboxEntry) bool { return e.Attempts == 0 })
		})
		for _, e := range by["pending"] {
			if e.Attempts != 1 || !e.NextAttemptAt.After(t0) {
				t.Errorf("row %+v: want one attempt, retried after t0", e)
			}
		}
	})
}
