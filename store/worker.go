package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// Sender delivers one action to WeCom. bot.Client implements it.
type Sender interface {
	Deliver(ctx context.Context, a bot.Action) (bot.Result, error)
}

// WorkerOptions configure the outbox worker. Zero values take defaults.
type WorkerOptions struct {
	Sender Sender
	Now    func() time.Time // default: the store's clock
	Poll   time.Duration    // idle wait between scans; default 1s
	// OnGroupSnapshot receives the KindGroupSnapshot event built from a
	// fetch_group result (usually rules.Engine.Handle). An error retries the row.
	OnGroupSnapshot func(ctx context.Context, ev bot.Event) error
	Log             *slog.Logger  // default: the store's logger
	MaxAttempts     int           // failures before a row is marked failed; default 10
	Lease           time.Duration // how long a claimed row is ours; default 2m
	// LongConn reports whether this replica delivers aibot_send rows now (it
	// holds the 智能机器人 long connection). Other replicas leave those rows
	// to it; nil means never.
	LongConn func() bool
}

// Worker delivers outbox rows. Any number of workers, in any number of
// replicas, may run on one database: each row is leased by one at a time.
type Worker struct {
	s *Store
	o WorkerOptions
}

const outboxBatch = 32

// NewWorker returns a worker delivering s's outbox through o.Sender.
func (s *Store) NewWorker(o WorkerOptions) *Worker {
	if o.Now == nil {
		o.Now = s.now
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	if o.Log == nil {
		o.Log = s.log
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	return &Worker{s: s, o: o}
}

// Run delivers due rows until ctx ends, then returns nil. Errors are logged
// and the loop goes on.
func (w *Worker) Run(ctx context.Context) error {
	for {
		n, err := w.RunOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			w.o.Log.WarnContext(ctx, "store: outbox scan failed", "err", err)
		}
		if n == outboxBatch && err == nil {
			continue // more may be due right now
		}
		if sleepCtx(ctx, w.o.Poll) != nil {
			return nil
		}
	}
}

// RunOnce delivers the rows due now (up to one batch) and returns how many
// were delivered. Rows over a rate limit are deferred, failed deliveries are
// rescheduled or marked failed; only database and Redis trouble is an error.
func (w *Worker) RunOnce(ctx context.Context) (delivered int, err error) {
	ids, err := w.s.dueOutbox(ctx, w.o.Now(), outboxBatch, w.notMine()...)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return delivered, err
		}
		ok, err := w.process(ctx, id)
		if err != nil {
			return delivered, err
		}
		if ok {
			delivered++
		}
	}
	return delivered, nil
}

// notMine are the row kinds another replica delivers.
func (w *Worker) notMine() []string {
	if w.o.LongConn != nil && w.o.LongConn() {
		return nil
	}
	return []string{string(bot.ActAIBotSend)}
}

// process claims, rate-limits, delivers and settles one row.
func (w *Worker) process(ctx context.Context, id int64) (bool, error) {
	now := w.o.Now()
	token := newLeaseToken()
	row, claimed, err := w.s.claimOutbox(ctx, id, now, now.Add(w.o.Lease), token)
	if err != nil || !claimed {
		return false, err
	}
	var a bot.Action
	if err := json.Unmarshal([]byte(row.Payload), &a); err != nil {
		return false, w.settle(ctx, row, token, fmt.Errorf("bad payload: %w", err), true)
	}
	wait, err := w.s.takeSlot(ctx, a, strconv.FormatInt(row.ID, 10)+":"+token, now)
	if err != nil {
		// The limits live in Redis; without it this row waits, and the rows
		// behind it that need no limit go on.
		w.o.Log.WarnContext(ctx, "store: outbox row waits for its rate limit", "outbox_id", row.ID, "kind", row.Kind, "err", err)
		return false, w.s.releaseOutbox(ctx, row.ID, token, statusPending, now,
			map[string]any{"next_attempt_at": dbTime(now.Add(max(w.o.Poll, redisCooldown)))})
	}
	if wait > 0 {
		return false, w.s.releaseOutbox(ctx, row.ID, token, statusPending, now,
			map[string]any{"next_attempt_at": dbTime(now.Add(wait))})
	}
	dctx, cancel := context.WithTimeout(ctx, w.o.Lease/2)
	res, err := w.deliver(dctx, a)
	cancel()
	if err == nil {
		err = w.learn(ctx, row, a, res)
	}
	if err != nil {
		return false, errors.Join(w.readBackFailed(ctx, row, a, err), w.settle(ctx, row, token, err, bot.Permanent(err)))
	}
	return true, w.s.releaseOutbox(ctx, row.ID, token, statusDone, w.o.Now(), map[string]any{"last_error": ""})
}

// learn records what a delivery taught: names, and a group's member list.
func (w *Worker) learn(ctx context.Context, row outboxRow, a bot.Action, res bot.Result) error {
	now := w.o.Now()
	for userID, name := range res.Names {
		if err := w.s.SetName(ctx, userID, name, now); err != nil {
			return err
		}
	}
	if res.Group == nil || w.o.OnGroupSnapshot == nil {
		return nil
	}
	chatID := res.Group.ChatID
	if chatID == "" {
		chatID = a.ChatID
	}
	ev := bot.Event{ID: "snapshot:" + strconv.FormatInt(row.ID, 10), Channel: bot.ChannelSystem,
		Kind: bot.KindGroupSnapshot, At: now, ChatID: chatID, From: "sys", Snapshot: res.Group}
	if err := w.o.OnGroupSnapshot(ctx, ev); err != nil {
		return fmt.Errorf("group snapshot of %s: %w", chatID, err)
	}
	return nil
}

// settle records a failed attempt: retried later with backoff, or failed for
// good when permanent or out of attempts.
func (w *Worker) settle(ctx context.Context, row outboxRow, token string, cause error, permanent bool) error {
	now := w.o.Now()
	attempts := row.Attempts + 1
	msg := truncate(cause.Error(), 1000)
	fields := map[string]any{"attempts": attempts, "last_error": msg}
	status := statusPending
	if permanent || attempts >= w.o.MaxAttempts {
		status = statusFailed
	} else {
		fields["next_attempt_at"] = dbTime(now.Add(backoff(attempts)))
	}
	w.o.Log.WarnContext(ctx, "store: outbox delivery failed", "outbox_id", row.ID, "kind", row.Kind,
		"attempts", attempts, "status", status, "err", msg)
	return w.s.releaseOutbox(ctx, row.ID, token, status, now, fields)
}

func newLeaseToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") // a cut rune would be refused by MySQL
}
