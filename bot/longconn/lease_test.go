package longconn

import (
	"context"
	"sync"
	"testing"
	"time"
)

// memLease is a lease in memory with real expiry, as Redis keeps one.
type memLease struct {
	mu     sync.Mutex
	holder string
	until  time.Time
}

type leaseHandle struct {
	m     *memLease
	owner string
}

func (m *memLease) of(owner string) Lease { return leaseHandle{m, owner} }

func (h leaseHandle) Acquire(_ context.Context, ttl time.Duration) (bool, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	now := time.Now()
	if h.m.holder != "" && h.m.holder != h.owner && now.Before(h.m.until) {
		return false, nil
	}
	h.m.holder, h.m.until = h.owner, now.Add(ttl)
	return true, nil
}

func (h leaseHandle) Renew(_ context.Context, ttl time.Duration) (bool, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	now := time.Now()
	if h.m.holder != h.owner || !now.Before(h.m.until) {
		return false, nil
	}
	h.m.until = now.Add(ttl)
	return true, nil
}

func (h leaseHandle) Release(context.Context) error {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	if h.m.holder == h.owner {
		h.m.holder = ""
	}
	return nil
}

// steal hands the lease to someone else, as if Redis had lost it and another
// replica had taken it.
func (m *memLease) steal(owner string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.holder, m.until = owner, time.Now().Add(time.Hour)
}

func shortLease(l Lease) func(*Options) {
	return func(o *Options) {
		o.Lease = l
		o.LeaseTTL, o.LeaseRenew, o.LeaseRetry, o.LeaseMargin = 600*time.Millisecond, 100*time.Millisecond,
			50*time.Millisecond, 250*time.Millisecond
	}
}

func TestSecondReplicaTakesOverWhenTheFirstDies(t *testing.T) {
	lease := &memLease{}
	a := newRig(t, shortLease(lease.of("a")))
	ctx := a.subscribed(t)
	b := newRigOn(t, a.fake, shortLease(lease.of("b")))
	if got := b.client.State(); got != StateStandby {
		t.Errorf("second replica %s while the first holds the lease, want standby", got)
	}
	a.cancel() // killed: its socket closes, its lease is never released
	<-a.done
	if err := a.fake.WaitSubscribed(ctx, 2); err != nil {
		t.Fatal(err)
	}
	waitState(t, b.client, StateSubscribed)
	if got, err := a.fake.Say(ctx, "after-takeover", "G1", "bob", "hi"); err != nil || got != "echo: hi" {
		t.Errorf("the second replica answers %q, %v", got, err)
	}
	if n := a.fake.Kicks(); n != 0 {
		t.Errorf("%d kicks: two replicas were subscribed at once", n)
	}
}

func TestReplicaThatLosesTheLeaseClosesItsSocket(t *testing.T) {
	lease := &memLease{}
	a := newRig(t, shortLease(lease.of("a")))
	ctx := a.subscribed(t)
	lease.steal("elsewhere")
	if err := a.fake.Wait(ctx, func() bool { return a.fake.Active() == 0 }); err != nil {
		t.Fatal("the replica kept its connection after losing the lease")
	}
	waitState(t, a.client, StateStandby)
	lease.mu.Lock()
	lease.holder = "" // the other holder is gone: a takes it back
	lease.mu.Unlock()
	if err := a.fake.WaitSubscribed(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if n := a.fake.Kicks(); n != 0 {
		t.Errorf("%d kicks", n)
	}
}

func TestGracefulStopReleasesTheLease(t *testing.T) {
	lease := &memLease{}
	a := newRig(t, shortLease(lease.of("a")))
	ctx := a.subscribed(t)
	a.stop()
	if err := a.client.Release(ctx); err != nil {
		t.Fatal(err)
	}
	lease.mu.Lock()
	defer lease.mu.Unlock()
	if lease.holder != "" {
		t.Errorf("lease still held by %q after Release", lease.holder)
	}
}

func TestDisconnectedBySiblingIsNotTakenOver(t *testing.T) {
	lease := &memLease{}
	a := newRig(t, shortLease(lease.of("a")))
	ctx := a.subscribed(t)
	lease.steal("b") // the lease moved to a sibling, which then subscribed
	_ = a.fake.Disconnect()
	waitState(t, a.client, StateStandby)
	if err := a.client.Check(ctx); err != nil {
		t.Errorf("a sibling's take-over made the replica unready: %v", err)
	}
}
