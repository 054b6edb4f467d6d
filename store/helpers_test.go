package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/store"
	"github.com/qunbot/qunbot/store/storetest"
)

// t0 is the fixed start of every test clock; it has a sub-second part so
// time round trips are checked at millisecond precision.
var t0 = time.Date(2026, 11, 21, 9, 30, 0, 123_000_000, time.UTC)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// eachBackend runs fn as a subtest on every backend, with a store on clk.
func eachBackend(t *testing.T, fn func(t *testing.T, s *store.Store, clk *clock)) {
	t.Helper()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			clk := newClock()
			b.Options.Now = clk.Now
			fn(t, storetest.Open(t, b), clk)
		})
	}
}

// eachBackendOptions is eachBackend for tests that open stores themselves.
func eachBackendOptions(t *testing.T, fn func(t *testing.T, o store.Options)) {
	t.Helper()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) { fn(t, b.Options) })
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var ctx = context.Background()
