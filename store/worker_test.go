package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/store"
)

// fakeSender records deliveries; fn, when set, decides each outcome.
type fakeSender struct {
	mu  sync.Mutex
	got []bot.Action
	fn  func(a bot.Action) (bot.Result, error)
}

func (f *fakeSender) Deliver(_ context.Context, a bot.Action) (bot.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, a)
	if f.fn == nil {
		return bot.Result{}, nil
	}
	return f.fn(a)
}

func (f *fakeSender) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.got)
}

type permanentErr struct{}

func (permanentErr) Error() string   { return "errcode 86003: chat not found" }
func (permanentErr) Permanent() bool { return true }

func runOnce(t *testing.T, w *store.Worker, want int) {
	t.Helper()
	got, err := w.RunOnce(ctx)
	if err != nil || got != want {
		t.Fatalf("RunOnce() = %d, %v; want %d, nil", got, err, want)
	}
}

func onlyEntry(t *testing.T, s *store.Store) store.OutboxEntry {
	t.Helper()
	es, err := s.OutboxEntries(ctx, "", 0)
	must(t, err)
	if len(es) != 1 {
		t.Fatalf("outbox has %d rows, want 1", len(es))
	}
	return es[0]
}

func TestWorkerDelivers(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		f := &fakeSender{}
		w := s.NewWorker(store.WorkerOptions{Sender: f})
		must(t, s.Enqueue(ctx, t0, rulesAction("G1"), rulesAction("G2")))
		must(t, s.Enqueue(ctx, t0.Add(time.Minute), rulesAction("G3"))) // not due yet
		runOnce(t, w, 2)
		runOnce(t, w, 0)
		clk.Advance(time.Minute)
		runOnce(t, w, 1)
		if got := []string{f.got[0].ChatID, f.got[1].ChatID, f.got[2].ChatID}; fmt.Sprint(got) != "[G1 G2 G3]" {
			t.Errorf("delivered %v, want [G1 G2 G3] in order", got)
		}
		done, err := s.OutboxEntries(ctx, "done", 0)
		must(t, err)
		pending, failed, err := s.OutboxDepth(ctx)
		must(t, err)
		if len(done) != 3 || pending != 0 || failed != 0 {
			t.Errorf("done %d, pending %d, failed %d; want 3, 0, 0", len(done), pending, failed)
		}
		n, err := s.PruneOutbox(ctx, t0.Add(2*time.Minute))
		if err != nil || n != 3 {
			t.Errorf("PruneOutbox() = %d, %v; want 3", n, err)
		}
	})
}

func TestWorkerRetriesWithBackoff(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		fails := 2
		f := &fakeSender{fn: func(bot.Action) (bot.Result, error) {
			if fails > 0 {
				fails--
				return bot.Result{}, errors.New("errcode -1: system busy")
			}
			return bot.Result{}, nil
		}}
		w := s.NewWorker(store.WorkerOptions{Sender: f})
		must(t, s.Enqueue(ctx, t0, rulesAction("G1")))
		steps := []struct {
			minWait, maxWait time.Duration
		}{{2500 * time.Millisecond, 5 * time.Second}, {5 * time.Second, 10 * time.Second}}
		for i, st := range steps {
			runOnce(t, w, 0)
			e := onlyEntry(t, s)
			wait := e.NextAttemptAt.Sub(clk.Now())
			if e.Status != "pending" || e.Attempts != i+1 || wait < st.minWait || wait > st.maxWait ||
				e.LastError != "errcode -1: system busy" {
				t.Fatalf("after failure %d: %+v (wait %v); want pending, retry in [%v, %v]", i+1, e, wait, st.minWait, st.maxWait)
			}
			runOnce(t, w, 0) // not due yet
			clk.Advance(st.maxWait)
		}
		runOnce(t, w, 1)
		if e := onlyEntry(t, s); e.Status != "done" || f.calls() != 3 {
			t.Errorf("final row %+v after %d calls; want done after 3", e, f.calls())
		}
	})
}

func TestWorkerFailures(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		runs      int
		wantCalls int
	}{
		{"permanent error fails at once", fmt.Errorf("appchat/send: %w", permanentErr{}), 3, 1},
		{"temporary errors give up after MaxAttempts", errors.New("timeout"), 6, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
				f := &fakeSender{fn: func(bot.Action) (bot.Result, error) { return bot.Result{}, tt.err }}
				w := s.NewWorker(store.WorkerOptions{Sender: f, MaxAttempts: 3})
				must(t, s.Enqueue(ctx, t0, rulesAction("G1")))
				for range tt.runs {
					runOnce(t, w, 0)
					clk.Advance(11 * time.Minute)
				}
				e := onlyEntry(t, s)
				_, failed, err := s.OutboxDepth(ctx)
				must(t, err)
				if e.Status != "failed" || e.LastError != tt.err.Error() || f.calls() != tt.wantCalls || failed != 1 {
					t.Errorf("row %+v after %d calls (failed depth %d); want failed with %q after %d calls",
						e, f.calls(), failed, tt.err, tt.wantCalls)
				}
			})
		})
	}
}

func TestWorkerBadPayloadFails(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		must(t, s.Enqueue(ctx, t0, rulesAction("G1")))
		must(t, store.CorruptPayloads(s))
		f := &fakeSender{}
		runOnce(t, s.NewWorker(store.WorkerOptions{Sender: f}), 0)
		if e := onlyEntry(t, s); e.Status != "failed" || f.calls() != 0 {
			t.Errorf("row %+v after %d calls; want failed, never sent", e, f.calls())
		}
	})
}

func TestWorkerRunUntilCancelled(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		delivered := make(chan bot.Action, 1)
		f := &fakeSender{fn: func(a bot.Action) (bot.Result, error) {
			delivered <- a
			return bot.Result{}, nil
		}}
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan error)
		go func() { done <- s.NewWorker(store.WorkerOptions{Sender: f, Poll: 5 * time.Millisecond}).Run(runCtx) }()
		must(t, s.Enqueue(ctx, t0, rulesAction("G1"))) // enqueued while Run is polling
		select {
		case a := <-delivered:
			if a.ChatID != "G1" {
				t.Errorf("delivered %+v, want the G1 action", a)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run never delivered the row")
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run() = %v after cancel, want nil", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
	})
}
