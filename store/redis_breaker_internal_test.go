package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// The recovery is reported before the call that found Redis back returns: a
// turn that read a member copy in that very call must see that copies are
// no longer trusted, or it would decide from one older than the database.
func TestBreakerReportsRecoveryBeforeTheCallReturns(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	recovered := 0
	b := &breaker{now: func() time.Time { return now }, onRecover: func() { recovered++ }}
	b.observe(context.Background(), errors.New("dial tcp: connection refused"))
	if !b.open() {
		t.Fatal("the breaker is closed after a call found Redis unreachable")
	}
	now = now.Add(redisCooldown)
	b.observe(context.Background(), nil) // the first call after the cooldown reaches Redis
	if recovered != 1 {
		t.Fatalf("onRecover ran %d times by the time the call returned, want 1", recovered)
	}
	b.observe(context.Background(), nil)
	if recovered != 1 {
		t.Fatalf("onRecover ran %d times after a second call, want 1 (one outage, one recovery)", recovered)
	}
}
