package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"
)

// Decider decides what an event means and records its effects exactly once
// (rules.Engine): a redelivered event gets the stored reply and changes nothing.
type Decider interface {
	Handle(ctx context.Context, ev Event) ([]Action, error)
}

// ReplyCache keeps each event's reply, so a redelivery is answered the same
// way without deciding again.
type ReplyCache interface {
	CachedReply(ctx context.Context, eventID string) (reply string, ok bool, err error)
	CacheReply(ctx context.Context, eventID, reply string) error
}

// Decision is what the Decider returned for one event.
type Decision struct {
	Actions []Action
	Err     error
}

// Answers is what every transport (the webhook callbacks, the long
// connection) shares to answer a delivery exactly once: a redelivery is served
// from the reply cache without deciding again; anything else is decided (the
// Decider is exactly-once itself, so deciding a retry again is safe) and its
// reply is cached.
type Answers struct {
	Decider Decider
	Replies ReplyCache // nil: no cache (the Decider's stored reply still answers a redelivery)
	Log     *slog.Logger
	// Retries are the waits before deciding again after a failed decision (a
	// deadlock, a database blip), for deliveries WeCom will not repeat: a
	// callback already answered empty, a long-connection frame.
	Retries []time.Duration
	// Sleep waits d or until ctx ends; nil is a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Final reports an error deciding again cannot fix (the message itself is
	// refused); nil: every error may be retried.
	Final func(err error) bool
}

// DefaultRetries end well within a response_url's hour.
var DefaultRetries = []time.Duration{100 * time.Millisecond, time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute}

func (a *Answers) log() *slog.Logger {
	if a.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return a.Log
}

// Cached returns the stored reply of an event already answered. A cache
// failure is logged and treated as a miss: the Decider is exactly-once anyway.
func (a *Answers) Cached(ctx context.Context, ev Event) (string, bool) {
	if ev.ID == "" || a.Replies == nil {
		return "", false
	}
	reply, ok, err := a.Replies.CachedReply(ctx, ev.ID)
	if err != nil {
		a.log().WarnContext(ctx, "reply cache unavailable", "msg_id", ev.ID, "err", err)
		return "", false
	}
	return reply, ok
}

// Remember caches an event's reply ("" included) for its redeliveries.
func (a *Answers) Remember(ctx context.Context, ev Event, reply string) {
	if ev.ID == "" || a.Replies == nil {
		return
	}
	if err := a.Replies.CacheReply(ctx, ev.ID, reply); err != nil {
		a.log().WarnContext(ctx, "reply not cached", "msg_id", ev.ID, "err", err)
	}
}

// Decide runs the Decider, turning a panic into an error (and a log line
// with the stack): it runs off any request goroutine a recovery could reach.
func (a *Answers) Decide(ctx context.Context, ev Event) (d Decision) {
	defer func() {
		if v := recover(); v != nil {
			a.log().ErrorContext(ctx, "decider panic", "msg_id", ev.ID, "chat_id", ev.ChatID,
				"err", fmt.Sprint(v), "stack", string(debug.Stack()))
			d = Decision{Err: fmt.Errorf("bot: decider panic: %v", v)}
		}
	}()
	d.Actions, d.Err = a.Decider.Handle(ctx, ev)
	return d
}

// Retryable reports whether deciding again may succeed where err failed.
func (a *Answers) Retryable(err error) bool {
	return err != nil && (a.Final == nil || !a.Final(err))
}

// Retry decides again, after each of Retries, while d failed with a
// retryable error. It returns the last decision.
func (a *Answers) Retry(ctx context.Context, ev Event, d Decision) Decision {
	for _, wait := range a.Retries {
		if !a.Retryable(d.Err) {
			break
		}
		a.log().WarnContext(ctx, "message not handled; deciding again", "msg_id", ev.ID, "chat_id", ev.ChatID,
			"retry_in", wait.String(), "err", d.Err)
		if err := a.sleep(ctx, wait); err != nil {
			return d
		}
		d = a.Decide(ctx, ev)
	}
	return d
}

func (a *Answers) sleep(ctx context.Context, d time.Duration) error {
	if a.Sleep != nil {
		return a.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// StreamID derives an answer's stream id from the event id, so a redelivery
// refreshes the same bubble.
func StreamID(eventID string) string {
	sum := sha256.Sum256([]byte(eventID))
	return "qb" + hex.EncodeToString(sum[:12])
}
