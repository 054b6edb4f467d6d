package rules

import (
	"context"
	"errors"
	"fmt"

	"github.com/qunbot/qunbot/bot"
)

// AnswerLate queues a reply that missed its way back: for a webhook callback
// the message's response_url; for the long connection, whose req_id died
// with its connection, aibot_send_msg into the chat (the group, or the
// member's 1:1 chat). It is queued once, however often it is asked, in the
// transaction that releases the event if it was held (held.go); an empty
// reply only releases it.
func (e *Engine) AnswerLate(ctx context.Context, ev bot.Event, reply string) error {
	var a bot.Action
	switch {
	case reply == "":
	case ev.ResponseURL != "":
		a = bot.Action{Kind: bot.ActResponseURL, ChatID: ev.ChatID, URL: ev.ResponseURL, Text: reply}
	case ev.Channel == bot.ChannelAIBotWS:
		a = bot.Action{Kind: bot.ActAIBotSend, ChatID: ev.ChatID, Text: reply, Key: "late:" + ev.ID}
		if ev.ChatID == "" {
			a.To = []string{ev.From}
		}
	default:
		return fmt.Errorf("rules: late answer to %s: no response_url", ev.ID)
	}
	now := e.now()
	err := e.store.Atomic(ctx, func(tx Tx) error {
		if err := tx.ClaimDelivery(ctx, "late:"+ev.ID, now); err != nil {
			return err
		}
		if err := tx.ReleaseEvent(ctx, ev.ID); err != nil || reply == "" {
			return err
		}
		return tx.Enqueue(ctx, now, a)
	})
	if errors.Is(err, ErrDuplicate) {
		return e.store.ReleaseEvent(ctx, ev.ID)
	}
	if err != nil {
		return fmt.Errorf("rules: late answer to %s: %w", ev.ID, err)
	}
	return nil
}
