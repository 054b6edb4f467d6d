package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/store"
)

func TestWorkerRateLimits(t *testing.T) {
	webhook := func(key string) bot.Action { return bot.Action{Kind: bot.ActWebhookSend, WebhookKey: key, Text: "hi"} }
	message := func(to ...string) bot.Action { return bot.Action{Kind: bot.ActAppMessage, To: to, Text: "hi"} }
	remove := bot.Action{Kind: bot.ActAppChatRemove, ChatID: "G1", Users: []string{"x"}}
	tests := []struct {
		name        string
		actions     []bot.Action
		first       int // delivered at t0
		wait        time.Duration
		afterWindow int // delivered once the window has passed
	}{
		{"webhook 20/min per key", append(repeat(webhook("k1"), 22), webhook("k2")), 21, time.Minute, 2},
		{"message 30/min per member", append(repeat(message("alice"), 30), message("bob", "alice"), message("bob")), 31, time.Minute, 1},
		{"appchat update 100/hour", repeat(remove, 101), 100, time.Hour, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
				f := &fakeSender{}
				w := s.NewWorker(store.WorkerOptions{Sender: f})
				must(t, s.Enqueue(ctx, t0, tt.actions...))
				got := drain(t, w)
				pending, _, err := s.OutboxDepth(ctx)
				must(t, err)
				if got != tt.first || pending != int64(len(tt.actions)-tt.first) {
					t.Fatalf("delivered %d, pending %d at t0; want %d, %d", got, pending, tt.first, len(tt.actions)-tt.first)
				}
				deferred, err := s.OutboxEntries(ctx, "pending", 0)
				must(t, err)
				for _, e := range deferred {
					if e.Attempts != 0 || !e.NextAttemptAt.Equal(t0.Add(tt.wait)) {
						t.Errorf("deferred row %+v: want 0 attempts, due at t0+%v", e, tt.wait)
					}
				}
				clk.Advance(tt.wait - time.Millisecond)
				runOnce(t, w, 0)
				clk.Advance(time.Millisecond)
				if got := drain(t, w); got != tt.afterWindow {
					t.Errorf("delivered %d after the window, want %d", got, tt.afterWindow)
				}
			})
		})
	}
}

func repeat(a bot.Action, n int) []bot.Action {
	out := make([]bot.Action, n)
	for i := range out {
		out[i] = a
	}
	return out
}

// drain runs the worker until a run delivers nothing.
func drain(t *testing.T, w *store.Worker) int {
	t.Helper()
	total := 0
	for {
		n, err := w.RunOnce(ctx)
		must(t, err)
		if n == 0 {
			return total
		}
		total += n
	}
}

func TestWorkerLearnsNamesAndSnapshots(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		group := &bot.GroupInfo{ChatID: "G1", Owner: "alice", Members: []bot.GroupMember{{UserID: "alice"}}}
		f := &fakeSender{fn: func(a bot.Action) (bot.Result, error) {
			if a.Kind == bot.ActFetchUser {
				return bot.Result{Names: map[string]string{"alice": "爱丽丝", "bob": "鲍勃"}}, nil
			}
			return bot.Result{Group: group}, nil
		}}
		var events []bot.Event
		snapshotErr := errors.New("engine busy")
		w := s.NewWorker(store.WorkerOptions{Sender: f, OnGroupSnapshot: func(_ context.Context, ev bot.Event) error {
			events = append(events, ev)
			return snapshotErr
		}})
		must(t, s.Enqueue(ctx, t0, bot.Action{Kind: bot.ActFetchUser, Users: []string{"alice", "bob"}}))
		must(t, s.Enqueue(ctx, t0, bot.Action{Kind: bot.ActFetchGroup, ChatID: "G1"}))
		runOnce(t, w, 1) // the snapshot handler failed: the fetch is retried
		if n, err := s.Name(ctx, "bob"); err != nil || n != "鲍勃" {
			t.Errorf("Name(bob) = %q, %v; want 鲍勃", n, err)
		}
		snapshotErr = nil
		clk.Advance(10 * time.Second)
		runOnce(t, w, 1)
		es, err := s.OutboxEntries(ctx, "", 0)
		must(t, err)
		want := bot.Event{ID: fmt.Sprint("snapshot:", es[1].ID), Channel: bot.ChannelSystem,
			Kind: bot.KindGroupSnapshot, ChatID: "G1", From: "sys", Snapshot: group}
		if len(events) != 2 {
			t.Fatalf("OnGroupSnapshot called %d times, want 2", len(events))
		}
		for i, ev := range events {
			want.At = ev.At
			if fmt.Sprint(ev) != fmt.Sprint(want) || ev.At.IsZero() {
				t.Errorf("snapshot event %d = %+v, want %+v", i, ev, want)
			}
		}
		if es[1].Status != "done" || es[1].Attempts != 1 {
			t.Errorf("fetch_group row %+v, want done after 1 failed attempt", es[1])
		}
	})
}
