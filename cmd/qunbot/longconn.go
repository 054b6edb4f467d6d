package main

import (
	"context"
	"errors"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/longconn"
	"github.com/qunbot/qunbot/handlers"
	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

// leaseTiming overrides the long connection's lease durations (tests use
// short ones); zero values keep longconn's defaults (10 s lease, renewed
// every 3 s, tried every 2 s by a standby replica).
type leaseTiming struct {
	ttl, renew, retry, margin time.Duration
}

// newLongConn builds the 智能机器人 long connection when the bot id and
// secret are set: callbacks are decided by the same engine, exactly once
// with their stored replies, as on the webhook path; messages are held and
// answered late the same way; the lease in Redis lets one replica connect.
func (a *app) newLongConn(metrics *handlers.Metrics, o appOptions) *longconn.Client {
	cfg, lt := a.cfg.WeCom.AIBot, o.lease
	observe := metrics.LongConnCallback
	if o.longConnHandled != nil {
		observe = func(outcome string, seconds float64) {
			metrics.LongConnCallback(outcome, seconds)
			o.longConnHandled(outcome)
		}
	}
	return longconn.New(longconn.Options{
		URL: cfg.WSURL, BotID: cfg.BotID, Secret: cfg.Secret, Ping: cfg.WSPing,
		Answers: &bot.Answers{Decider: a.engine, Log: a.log, Retries: longConnRetries, Final: refusedMessage},
		Late:    a.engine, Limit: a.store, Lease: a.store.Lease("aibot:" + cfg.BotID),
		Log: a.log, Now: a.now, Observe: observe,
		LeaseTTL: lt.ttl, LeaseRenew: lt.renew, LeaseRetry: lt.retry, LeaseMargin: lt.margin,
	})
}

// longConnRetries are the waits before deciding a long-connection message
// again after a failed decision: well within the two minutes a held message
// is left to its own decision before the engine finishes it.
var longConnRetries = []time.Duration{100 * time.Millisecond, time.Second, 5 * time.Second, 30 * time.Second}

// refusedMessage reports a message the engine refuses as it is (no sender, a
// field too long): deciding it again cannot help.
func refusedMessage(err error) bool {
	return errors.Is(err, rules.ErrNoSender) || errors.Is(err, rules.ErrFieldTooLong)
}

// runLongConn holds the long connection until ctx ends, then lets the
// callbacks in flight finish and gives the lease up, so another replica
// takes over at once.
func (a *app) runLongConn(ctx context.Context) {
	if err := a.longconn.Run(ctx); err != nil {
		a.log.Error("long connection stopped", "err", err)
	}
	a.longconn.Wait()
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := a.longconn.Release(rctx); err != nil {
		a.log.Warn("long connection: lease not released; another replica takes over when it expires", "err", err)
	}
}

// deliversLongConn says whether this replica's outbox worker settles
// aibot_send rows: the replica holding the connection, or every replica in
// webhook mode (rows left from long-connection mode fall back).
func (a *app) deliversLongConn() bool {
	return a.longconn == nil || a.longconn.Delivers()
}

// routedSender sends aibot_send over the long connection and everything else
// through the WeCom API client. A post WeCom refuses, or one no connection
// will ever send (webhook mode, or the bot was taken over), is settled by
// queuing its fallback.
type routedSender struct {
	api      store.Sender
	conn     *longconn.Client // nil in webhook mode
	fallback func(ctx context.Context, a bot.Action, refusedCode int) error
	refused  func(api string, code int) // counts a refusal settled by its fallback
}

func (r routedSender) Deliver(ctx context.Context, a bot.Action) (bot.Result, error) {
	if a.Kind != bot.ActAIBotSend {
		return r.api.Deliver(ctx, a)
	}
	if r.conn == nil || r.conn.State() == longconn.StateTakenOver {
		return bot.Result{}, r.fallback(ctx, a, 0)
	}
	err := r.conn.Send(ctx, a)
	if code, refused := longconn.Refused(err); refused {
		r.refused("aibot_send_msg", code)
		if ferr := r.fallback(ctx, a, code); ferr != nil {
			return bot.Result{}, ferr
		}
		return bot.Result{}, nil
	}
	return bot.Result{}, err
}
