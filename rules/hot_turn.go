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
func (e *Engine) handleHot(ctx context.Context, ev bot.Event, now time.Time, pr *MessagePrint) ([]bot.Action, error) {
	start := TurnStart{EventID: ev.ID, ChatID: ev.ChatID, UserID: ev.From, Slot: e.slotFor(ctx, ev, now)}
	begun, err := e.hot.BeginTurn(ctx, start)
	switch {
	case errors.Is(err, ErrDuplicate) && begun.HasReply:
		return replyActions(begun.Reply), nil
	case err != nil:
		// Another delivery holds the claim, or Redis is out of reach: the
		// database decides either way.
		return nil, errSlowPath
	}
	tx := e.newHotTx(start, begun, now)
	t := e.newTurn(tx, ev, now)
	t.print = pr
	tx.turn = t
	t.Tx = withPoints(t)
	t.Tx = withStats(t)
	err = e.dispatch(ctx, t)
	if err == nil {
		tx.settle(ctx)
	}
	if err != nil {
		e.dropHot(ctx, tx)
		if errors.Is(err, errSlowPath) {
			return nil, errSlowPath
		}
		return nil, fmt.Errorf("rules: handle %s: %w", ev.ID, err)
	}
	j := tx.j
	j.Outbox = append(j.Outbox, t.outbound...)
	j.Reply = t.replyText()
	j.Print = pr
	j.Boards, t.boards = t.boards, nil
	switch err := e.hot.Commit(ctx, j); {
	case errors.Is(err, ErrDuplicate):
		tx.release(ctx) // another delivery of the event was recorded first
		return e.storedReply(ctx, ev.ID)
	case errors.Is(err, ErrConflict):
		e.dropHot(ctx, tx)
		return nil, errSlowPath
	case ctx.Err() != nil:
		// The turn gave up waiting: its batch may still commit, so nothing
		// is given back. A retry finds the delivery recorded, or decides it.
		return nil, fmt.Errorf("rules: handle %s: %w", ev.ID, err)
	case err != nil:
		e.dropHot(ctx, tx)
		return nil, fmt.Errorf("rules: handle %s: %w", ev.ID, err)
	}
	e.knownGroups.add(j.Groups...)
	e.afterCommit(ctx, t)
	return t.actions(), nil
}

// slotFor is the message-points slot a message would take, reserved with
// the turn's first round trip: nil for a command or when the group's
// settings are not cached yet (the points stage then reserves its own).
func (e *Engine) slotFor(ctx context.Context, ev bot.Event, now time.Time) *MessageSlot {
	if _, _, isCommand := e.commands.match(ev.Text); isCommand {
		return nil
	}
	s, ok := e.settings.cached(ev.ChatID)
	if !ok {
		return nil
	}
	slots := messageSlots(s.Message)
	if slots <= 0 {
		return nil
	}
	slot := MessageSlot{ChatID: ev.ChatID, UserID: ev.From, Day: now.In(e.loc).Format(time.DateOnly), At: now,
		Cooldown: s.Message.Cooldown, DailyCap: slots}
	if m, ok := e.meters.get(ev.ChatID, ev.From); ok && m.deniesSlot(slot) {
		return nil // the turn's own state will say no without Redis (hot_meters.go)
	}
	return &slot
}

// replyActions answers a redelivery with the reply stored for its event.
func replyActions(reply string) []bot.Action {
	return []bot.Action{{Kind: bot.ActReply, Text: reply, Stored: true}}
}

// dropHot forgets a hot turn that recorded nothing: its reservations are
// given back and its claim released, so a retry (or the transactional path)
// starts clean. The Redis calls outlive a cancelled request.
func (e *Engine) dropHot(ctx context.Context, tx *hotTx) {
	ctx = context.WithoutCancel(ctx)
	tx.release(ctx)
	e.hot.AbandonTurn(ctx, tx.j.EventID)
}
