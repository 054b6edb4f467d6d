package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/store"
	"github.com/qunbot/qunbot/store/storetest"
)

// eachBackendTwice opens two stores on one backend, as two replicas (or a
// process and its restart) would.
func eachBackendTwice(t *testing.T, fn func(t *testing.T, a, b *store.Store, clk *clock)) {
	t.Helper()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			clk := newClock()
			b.Options.Now = clk.Now
			fn(t, storetest.Open(t, b), storetest.Open(t, b), clk)
		})
	}
}

// Four workers in two replicas deliver every row exactly once.
func TestWorkersNeverDeliverTwice(t *testing.T) {
	eachBackendTwice(t, func(t *testing.T, a, b *store.Store, clk *clock) {
		const rows = 60
		for i := range rows {
			must(t, a.Enqueue(ctx, t0, bot.Action{Kind: bot.ActAppChatSend, ChatID: "G1", Text: fmt.Sprint(i)}))
		}
		f := &fakeSender{fn: func(bot.Action) (bot.Result, error) {
			time.Sleep(time.Millisecond) // let the workers interleave
			return bot.Result{}, nil
		}}
		var wg sync.WaitGroup
		for _, s := range []*store.Store{a, b, a, b} {
			w := s.NewWorker(store.WorkerOptions{Sender: f})
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					n, err := w.RunOnce(ctx)
					if err != nil {
						t.Errorf("RunOnce: %v", err)
					}
					if n == 0 || err != nil {
						return
					}
				}
			}()
		}
		wg.Wait()
		seen := map[string]int{}
		for _, act := range f.got {
			seen[act.Text]++
		}
		for i := range rows {
			if n := seen[fmt.Sprint(i)]; n != 1 {
				t.Errorf("row %d delivered %d times, want 1", i, n)
			}
		}
	})
}

// A row leased by a worker that died is delivered by another once the lease
// runs out, and not before.
func TestWorkerLeaseExpires(t *testing.T) {
	eachBackendTwice(t, func(t *testing.T, a, b *store.Store, clk *clock) {
		must(t, a.Enqueue(ctx, t0, rulesAction("G1")))
		crash, cancel := context.WithCancel(ctx)
		dying := a.NewWorker(store.WorkerOptions{Lease: time.Minute, Sender: &fakeSender{
			fn: func(bot.Action) (bot.Result, error) {
				cancel() // the process dies mid-send: nothing after this is written
				return bot.Result{}, context.Canceled
			}}})
		if _, err := dying.RunOnce(crash); err == nil {
			t.Fatal("the dying worker's RunOnce succeeded")
		}
		if e := onlyEntry(t, a); e.Status != "sending" {
			t.Fatalf("row after the crash: %+v, want still leased", e)
		}
		f := &fakeSender{}
		w := b.NewWorker(store.WorkerOptions{Sender: f})
		clk.Advance(59 * time.Second)
		runOnce(t, w, 0)
		clk.Advance(time.Second)
		runOnce(t, w, 1)
		if e := onlyEntry(t, b); e.Status != "done" {
			t.Errorf("row %+v, want done", e)
		}
	})
}

// Rows enqueued before a restart are delivered after it.
func TestOutboxSurvivesRestart(t *testing.T) {
	eachBackendOptions(t, func(t *testing.T, o store.Options) {
		first, err := store.Open(ctx, o)
		must(t, err)
		must(t, first.Enqueue(ctx, time.Now(), rulesAction("G1"), rulesAction("G2")))
		must(t, first.Close())

		second := storetest.Open(t, storetest.Backend{Name: "restarted", Options: o})
		f := &fakeSender{}
		runOnce(t, second.NewWorker(store.WorkerOptions{Sender: f}), 2)
		if f.calls() != 2 || f.got[0].ChatID != "G1" {
			t.Errorf("delivered %+v after restart, want G1 and G2", f.got)
		}
	})
}
