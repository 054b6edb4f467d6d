package main

import (
	"context"
	"time"
)

// schedulerEvery is how often the scheduler looks for due runs. Runs are
// exactly-once through the delivery claim, so every replica may look.
const schedulerEvery = 30 * time.Second

func (a *app) runScheduler(ctx context.Context) {
	t := time.NewTicker(schedulerEvery)
	defer t.Stop()
	a.logSkipped(ctx)
	lastPrune := time.Time{}
	for {
		a.tickOnce(ctx)
		a.finishHeld(ctx)
		if now := a.now(); now.Sub(lastPrune) > time.Hour {
			a.prune(ctx, now)
			lastPrune = now
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// tickOnce handles every scheduled run that is due now, in the order they
// fell due, and records the pass.
func (a *app) tickOnce(ctx context.Context) {
	now := a.now()
	due, err := a.engine.DueTicks(ctx, now)
	if err != nil {
		a.log.Warn("scheduler", "err", err)
		return
	}
	for _, ev := range due {
		if _, err := a.engine.Handle(ctx, ev); err != nil {
			a.log.Warn("scheduled run", "chat_id", ev.ChatID, "job", ev.Tick.Job, "run", ev.Tick.Run, "err", err)
		}
	}
	if err := a.store.SetSchedulerPass(ctx, now); err != nil {
		a.log.Warn("scheduler", "err", err)
	}
}

// logSkipped logs, at start, the runs that fell due since the last pass of
// any replica and are too old to make up (a scheduled post missed by an hour
// or more, a report by six). The first pass makes up the rest, once each.
func (a *app) logSkipped(ctx context.Context) {
	since, ok, err := a.store.LastSchedulerPass(ctx)
	if err != nil {
		a.log.Warn("scheduler", "err", err)
		return
	}
	if !ok {
		return // the first start: nothing was missed
	}
	skipped, err := a.engine.Skipped(ctx, since, a.now())
	if err != nil {
		a.log.Warn("scheduler", "err", err)
		return
	}
	for _, s := range skipped {
		attrs := []any{"chat_id", s.ChatID, "job", s.Job, "runs", s.Count, "first", s.First, "last", s.Last}
		if s.PostID != 0 {
			attrs = append(attrs, "schedule_id", s.PostID)
		}
		a.log.Warn("scheduled runs skipped: missed while qunbot was down, too old to make up", attrs...)
	}
}

// finishHeld decides and answers the 智能机器人 messages that were answered
// empty before they were decided and whose decision never finished.
func (a *app) finishHeld(ctx context.Context) {
	if err := a.engine.FinishHeld(ctx); err != nil {
		a.log.Warn("held messages", "err", err)
	}
}

// deliveryMemory is how long a delivery id is remembered: far longer than
// WeCom's retries and the 智能机器人's stream window.
const deliveryMemory = 7 * 24 * time.Hour

func (a *app) prune(ctx context.Context, now time.Time) {
	n, err := a.store.PruneDeliveries(ctx, now.Add(-deliveryMemory))
	if err != nil {
		a.log.Warn("prune deliveries", "err", err)
		return
	}
	if n > 0 {
		a.log.Debug("pruned deliveries", "rows", n)
	}
	// A recall names its message by delivery, and the prints say which two
	// deliveries were one message: they are kept as long.
	if n, err = a.store.PrunePrints(ctx, now.Add(-deliveryMemory)); err != nil {
		a.log.Warn("prune prints", "err", err)
	} else if n > 0 {
		a.log.Debug("pruned prints", "rows", n)
	}
}
