package longconn

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/coder/websocket"
)

// dialTimeout bounds the WebSocket handshake.
const dialTimeout = 10 * time.Second

// Run holds the connection until ctx ends: it waits for the lease, connects,
// subscribes, pings, and reconnects with back-off when the socket drops or
// the peer stops answering. After disconnected_event it stops connecting for
// good (and keeps the lease, so no other replica kicks whoever took over).
// Run does not release the lease; call Release at shutdown.
func (c *Client) Run(ctx context.Context) error {
	c.mu.Lock()
	c.base = context.WithoutCancel(ctx) // answers outlive the connection they came on
	c.mu.Unlock()
	defer c.setState(StateStandby)
	for ctx.Err() == nil {
		deadline, ok := c.acquire(ctx)
		if !ok {
			return nil
		}
		held, lost := context.WithCancel(ctx)
		leaseDone := make(chan struct{})
		go func() { defer close(leaseDone); c.keepLease(held, lost, deadline) }()
		takenOver := c.connectLoop(held)
		if takenOver {
			c.setState(StateTakenOver)
			c.log.Error("another connection took over the 智能机器人 (disconnected_event): not reconnecting; " +
				"stop the other client, then restart qunbot")
			<-ctx.Done() // stay taken over, holding the lease, until shutdown
		}
		lost()
		<-leaseDone
		if !takenOver {
			c.setState(StateStandby)
		}
	}
	return nil
}

// Release gives the lease up at shutdown, after Run returned, so another
// replica takes over at once rather than when the lease expires.
func (c *Client) Release(ctx context.Context) error {
	if c.o.Lease == nil {
		return nil
	}
	return c.o.Lease.Release(ctx)
}

// acquire waits until this replica holds the lease, and returns the moment
// by which the socket must be closed unless the lease is renewed.
func (c *Client) acquire(ctx context.Context) (time.Time, bool) {
	if c.o.Lease == nil {
		return time.Time{}, ctx.Err() == nil
	}
	warned := false
	for {
		start := time.Now()
		ok, err := c.o.Lease.Acquire(ctx, c.o.LeaseTTL)
		if ok {
			c.log.Info("long connection: this replica holds the 智能机器人 lease")
			return start.Add(c.o.LeaseTTL - c.o.LeaseMargin), true
		}
		if err != nil && !warned && ctx.Err() == nil {
			c.log.Warn("long connection: cannot take the lease; retrying", "err", err)
			warned = true
		}
		select {
		case <-ctx.Done():
			return time.Time{}, false
		case <-time.After(c.o.LeaseRetry):
		}
	}
}

// keepLease renews the lease until held ends. When another replica holds it,
// or it could not be renewed before deadline, it cancels held: the socket
// closes before the lease can expire in Redis.
func (c *Client) keepLease(held context.Context, lost context.CancelFunc, deadline time.Time) {
	if c.o.Lease == nil {
		return
	}
	defer lost()
	for {
		wait := min(c.o.LeaseRenew, time.Until(deadline))
		select {
		case <-held.Done():
			return
		case <-time.After(wait):
		}
		start := time.Now()
		if !start.Before(deadline) {
			c.log.Warn("long connection: lease not renewed in time; closing the connection")
			return
		}
		rctx, cancel := context.WithDeadline(held, deadline)
		ok, err := c.o.Lease.Renew(rctx, c.o.LeaseTTL)
		cancel()
		switch {
		case ok:
			deadline = start.Add(c.o.LeaseTTL - c.o.LeaseMargin)
		case err == nil:
			c.log.Warn("long connection: another replica holds the lease; closing the connection")
			return
		case held.Err() == nil:
			c.log.Warn("long connection: lease not renewed", "err", err)
		}
	}
}

// connectLoop connects again and again while held lasts, with back-off
// between attempts. It returns true when the connection was taken over.
func (c *Client) connectLoop(held context.Context) (takenOver bool) {
	attempt := 0
	for held.Err() == nil {
		subscribed, err := c.connect(held)
		if errors.Is(err, errTakenOver) {
			if c.stillHolder(held) {
				return true
			}
			c.log.Warn("long connection: taken over by another replica; standing by")
			return false
		}
		if held.Err() != nil {
			return false
		}
		if subscribed {
			attempt = 0
		}
		attempt++
		wait := backoff(attempt, c.o.Jitter)
		c.log.Warn("long connection lost; reconnecting", "err", err, "retry_in", wait.Round(time.Millisecond).String())
		select {
		case <-held.Done():
			return false
		case <-c.o.After(wait):
		}
	}
	return false
}

// stillHolder asks whether this replica still holds the lease (a
// disconnected_event from a sibling would mean the lease moved).
func (c *Client) stillHolder(ctx context.Context) bool {
	if c.o.Lease == nil {
		return true
	}
	ok, err := c.o.Lease.Renew(ctx, c.o.LeaseTTL)
	return ok || err != nil
}

// connect runs one connection: dial, subscribe, heartbeat until it ends.
// subscribed reports whether the subscribe was accepted.
func (c *Client) connect(held context.Context) (subscribed bool, err error) {
	c.setState(StateConnecting)
	dctx, cancel := context.WithTimeout(held, dialTimeout)
	ws, _, err := websocket.Dial(dctx, c.o.URL, nil)
	cancel()
	if err != nil {
		return false, fmt.Errorf("longconn: dial: %w", err)
	}
	s := newSession(c, ws)
	go s.readLoop(held)
	defer func() {
		_ = ws.CloseNow()
		<-s.done
	}()
	ack, err := s.request(held, cmdSubscribe, subscribeBody{BotID: c.o.BotID, Secret: c.o.Secret})
	if errors.Is(err, errClosed) {
		<-s.done
		return false, fmt.Errorf("longconn: subscribe: %w", s.err) // errTakenOver stays visible
	}
	if err != nil {
		return false, fmt.Errorf("longconn: subscribe: %w", err)
	}
	if ack.ErrCode != 0 {
		return false, fmt.Errorf("longconn: subscribe refused: errcode %d: %s", ack.ErrCode, ack.ErrMsg)
	}
	c.setCurrent(s)
	defer c.clearCurrent(s)
	c.log.Info("long connection subscribed", "url", c.o.URL)
	return true, s.heartbeat(held)
}

// backoff is 1 s doubling to 30 s, plus jitter, and never under a second:
// WeCom rate-limits subscribe (45009).
func backoff(attempt int, jitter func(time.Duration) time.Duration) time.Duration {
	d := time.Second << min(attempt-1, 5)
	d = min(d, 30*time.Second)
	return d + jitter(d/5)
}

func randomJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d)
}
