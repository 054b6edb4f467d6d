package rules

import (
	"context"
	"errors"
	"fmt"

	"github.com/qunbot/qunbot/bot"
)

// AnswerLate queues a reply that missed its callback's answer for the
// message's response_url. It is queued once, however often it is asked.
func (e *Engine) AnswerLate(ctx context.Context, ev bot.Event, reply string) error {
	if ev.ResponseURL == "" {
		return fmt.Errorf("rules: late answer to %s: no response_url", ev.ID)
	}
	now := e.now()
	err := e.store.Atomic(ctx, func(tx Tx) error {
		if err := tx.ClaimDelivery(ctx, "late:"+ev.ID, now); err != nil {
			return err
		}
		return tx.Enqueue(ctx, now, bot.Action{Kind: bot.ActResponseURL, ChatID: ev.ChatID, URL: ev.ResponseURL, Text: reply})
	})
	if errors.Is(err, ErrDuplicate) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("rules: late answer to %s: %w", ev.ID, err)
	}
	return nil
}
