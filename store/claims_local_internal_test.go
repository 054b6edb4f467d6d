package store

import (
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// Claims held in the process behave as Redis's SET NX with a TTL: one turn
// claims, a second delivery sees what the claim holds (its reply, once
// answered), and a claim whose time is up is gone, oldest first, without
// walking the rest.
func TestLocalClaimsExpireInOrder(t *testing.T) {
	at := time.Unix(1_800_000_000, 0)
	c := newLocalClaims()
	c.now = func() time.Time { return at }
	if _, ok := c.claim("a"); !ok {
		t.Fatal("first claim of a refused")
	}
	if held, ok := c.claim("a"); ok || held != claimInFlight {
		t.Fatalf("second claim of a = %q, %v; want refused, in flight", held, ok)
	}
	at = at.Add(claimTTL / 2)
	c.answer("a", "好")
	if _, ok := c.claim("b"); !ok {
		t.Fatal("claim of b refused")
	}
	at = at.Add(claimTTL/2 - time.Second)
	if held, ok := c.claim("a"); ok || held != claimAnswered+"好" {
		t.Fatalf("claim of answered a = %q, %v; want refused with its reply", held, ok)
	}
	at = at.Add(2 * time.Second) // a's time (from its claim, not its answer) is up; b's is not
	if _, ok := c.claim("a"); !ok {
		t.Error("claim of a after its time refused")
	}
	if held, ok := c.claim("b"); ok || held != claimInFlight {
		t.Errorf("claim of b within its time = %q, %v; want refused, in flight", held, ok)
	}
	c.answer("gone", "x") // an answer to a claim no longer held takes nothing
	if _, ok := c.held["gone"]; ok {
		t.Error("an answer to a claim not held made one")
	}
	c.release("a")
	if _, ok := c.claim("a"); !ok {
		t.Error("claim of a released claim refused")
	}
}

// The claims of a long stream take the memory of the last claimTTL only.
func TestLocalClaimsKeepOnlyTheirTime(t *testing.T) {
	at := time.Unix(1_800_000_000, 0)
	c := newLocalClaims()
	c.now = func() time.Time { return at }
	for i := range 100_000 {
		at = at.Add(10 * time.Millisecond) // 100 a second for 1,000 s
		id := "m" + strconv.Itoa(i)
		c.claim(id)
		c.answer(id, "")
	}
	live := int(claimTTL / (10 * time.Millisecond))
	if n := len(c.held); n > live+1 {
		t.Errorf("%d claims held; want at most the last %v's %d", n, claimTTL, live)
	}
	if q := len(c.queue) - c.head; q > live+1 {
		t.Errorf("%d expiries queued; want one per live claim (%d)", q, live)
	}
	if cap(c.queue) > 4*live {
		t.Errorf("queue capacity %d; want it given back as the front is spent", cap(c.queue))
	}
}

// BenchmarkLocalClaims claims and answers new deliveries from parallel
// goroutines, as concurrent turns do, and reports the heap a held claim
// takes, its id included.
func BenchmarkLocalClaims(b *testing.B) {
	c := newLocalClaims()
	var n atomic.Int64
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := "bench-abcdef-2-bot-" + strconv.FormatInt(n.Add(1), 10)
			c.claim(id)
			c.answer(id, "")
		}
	})
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if held := len(c.held); held > 0 {
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(held), "B/claim-held")
	}
	runtime.KeepAlive(c)
}
