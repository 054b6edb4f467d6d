package rules

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// handleHot runs a group message on the hot path (hot.go). errSlowPath
// hands the turn to the transactional path with nothing recorded.
func (e *Engine) handleHot(ctx context.Context, ev bot.Event, now time.Time) ([]bot.Action, error) {
	state, err := e.hot.BeginTurn(ctx, ev.ID, ev.ChatID, ev.From)
	if err != nil {
		// Another delivery holds the claim, or Redis is out of reach: the
		// database decides either way.
		return nil, errSlowPath
	}
	tx := e.newHotTx(ev.ID, ev.ChatID, ev.From, state, now)
	t := e.newTurn(tx, ev, now)
	t.Tx = withPoints(t)
	t.Tx = withStats(t)
	if err := e.dispatch(ctx, t); err != nil {
		e.dropHot(ctx, tx)
		if errors.Is(err, errSlowPath) {
			return nil, errSlowPath
		}
		return nil, fmt.Errorf("rules: handle %s: %w", ev.ID, err)
	}
	j := tx.j
	j.Outbox = append(j.Outbox, t.outbound...)
	j.Reply = t.replyText()
	switch err := e.hot.Commit(ctx, j); {
	case errors.Is(err, ErrDuplicate):
		tx.release(ctx) // another delivery of the event was recorded first
		return e.storedReply(ctx, ev.ID)
	case errors.Is(err, ErrConflict):
		e.dropHot(ctx, tx)
		return nil, errSlowPath
	case err != nil:
		e.dropHot(ctx, tx)
		return nil, fmt.Errorf("rules: handle %s: %w", ev.ID, err)
	}
	e.knownGroups.add(j.Groups...)
	e.afterCommit(ctx, t)
	return t.actions(), nil
}

// dropHot forgets a hot turn that recorded nothing: its reservations are
// given back and its claim released, so a retry (or the transactional path)
// starts clean. The Redis calls outlive a cancelled request.
func (e *Engine) dropHot(ctx context.Context, tx *hotTx) {
	ctx = context.WithoutCancel(ctx)
	tx.release(ctx)
	e.hot.AbandonTurn(ctx, tx.j.EventID)
}
