package rules

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// A 智能机器人 message whose reply is not decided within the callback's
// budget is answered empty and its reply goes later to its response_url.
// WeCom does not deliver an answered callback again, so before the empty
// answer the event is held: written durably, to be decided and answered by
// FinishHeld if this process dies first. A message that cannot even be held
// (the database is down) is answered 503, and WeCom delivers it again.

// HeldEvents keeps the events answered before they were decided.
type HeldEvents interface {
	// HoldEvent records an event (holding it again changes nothing).
	HoldEvent(ctx context.Context, e HeldEvent) error
	// HeldEvents are up to limit events held before before, oldest first.
	HeldEvents(ctx context.Context, before time.Time, limit int) ([]HeldEvent, error)
	// ReleaseEvent forgets a held event once its answer is settled.
	ReleaseEvent(ctx context.Context, eventID string) error
}

// HeldEvent is one event waiting for its late answer.
type HeldEvent struct {
	EventID string
	Payload []byte // the bot.Event, as JSON
	At      time.Time
}

// heldGrace is how long a held event is left to the decision that holds it
// before FinishHeld takes it over.
const heldGrace = 2 * time.Minute

// HoldLate durably records ev, which is about to be answered before it is
// decided; ctx bounds how long that may take.
func (e *Engine) HoldLate(ctx context.Context, ev bot.Event) error {
	payload, err := json.Marshal(ev)
	if err == nil {
		err = e.store.HoldEvent(ctx, HeldEvent{EventID: ev.ID, Payload: payload, At: e.now()})
	}
	if err != nil {
		return fmt.Errorf("rules: hold %s: %w", ev.ID, err)
	}
	return nil
}

// FinishHeld decides and answers the events held longer than heldGrace:
// their process died, or their decision failed every retry. Each is decided
// exactly once whoever finishes it.
func (e *Engine) FinishHeld(ctx context.Context) error {
	held, err := e.store.HeldEvents(ctx, e.now().Add(-heldGrace), 100)
	if err != nil {
		return fmt.Errorf("rules: held events: %w", err)
	}
	for _, h := range held {
		var ev bot.Event
		if err := json.Unmarshal(h.Payload, &ev); err != nil || ev.ID != h.EventID {
			e.log.Error("held event unreadable; dropped", "msg_id", h.EventID, "err", err)
			if err := e.store.ReleaseEvent(ctx, h.EventID); err != nil {
				return err
			}
			continue
		}
		actions, err := e.Handle(ctx, ev)
		if err == nil {
			err = e.AnswerLate(ctx, ev, bot.Reply(actions))
		}
		if err != nil {
			return fmt.Errorf("rules: finish held %s: %w", ev.ID, err)
		}
	}
	return nil
}
