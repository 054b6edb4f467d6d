package store

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// callCounter is a go-redis hook that counts the commands sent one by one.
type callCounter struct{ n atomic.Int32 }

func (c *callCounter) DialHook(next redis.DialHook) redis.DialHook { return next }
func (c *callCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmd)
	}
}
func (c *callCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

// A reply cooldown seen running answers without Redis, on the replica that
// took it and on one that was refused by it; once it is over, Redis decides.
func TestReplyCooldownSeenRunningAsksNoMore(t *testing.T) {
	mr := miniredis.RunT(t)
	replica := func() (*Store, *callCounter) {
		rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
		t.Cleanup(func() { _ = rdb.Close() })
		calls := &callCounter{}
		rdb.AddHook(calls)
		return &Store{rdb: rdb, keys: keys{prefix: "t:"}, cooldowns: &cooldownEnds{}}, calls
	}
	a, aCalls := replica()
	b, bCalls := replica()
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	take := func(s *Store, after time.Duration) bool {
		t.Helper()
		ok, err := s.TakeReplyCooldown(ctx, "G1", "contains:福利", t0.Add(after), 30*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}

	if !take(a, 0) || take(b, time.Second) {
		t.Fatal("want the first take granted and the second refused")
	}
	sentA, sentB := aCalls.n.Load(), bCalls.n.Load()
	if take(a, 10*time.Second) || take(b, 29*time.Second) {
		t.Error("a take within the cooldown was granted")
	}
	if aCalls.n.Load() != sentA || bCalls.n.Load() != sentB {
		t.Errorf("takes within a cooldown seen running went to Redis (%d→%d, %d→%d)",
			sentA, aCalls.n.Load(), sentB, bCalls.n.Load())
	}
	if !take(b, 30*time.Second) || take(a, 31*time.Second) {
		t.Error("after the cooldown: want b granted, then a refused by b's new cooldown")
	}
}
