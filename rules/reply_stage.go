package rules

import (
	"context"
	"time"
)

// ReplyCooldowns keep one keyword from answering a flood of the same question:
// kept in Redis, shared by every replica.
type ReplyCooldowns interface {
	// TakeReplyCooldown reports whether rule may answer in chatID at now; if
	// it may, its cooldown runs until now+d.
	TakeReplyCooldown(ctx context.Context, chatID, rule string, now time.Time, d time.Duration) (bool, error)
}

// runReplies is the last message stage: the first keyword the message
// matches answers, unless it answered in this group within reply.cooldown.
func runReplies(ctx context.Context, t *Turn) error {
	if t.Event.ChatID == "" || t.Direct {
		return nil
	}
	set, err := t.e.replies.get(ctx, t)
	if err != nil {
		return err
	}
	rule := set.match(t.Event.Text)
	if rule == nil {
		return nil
	}
	if d := t.Settings.ReplyCooldown; d > 0 {
		ok, err := t.e.counters.TakeReplyCooldown(ctx, t.Event.ChatID, rule.key(), t.Now, d)
		if err != nil {
			// A lost cooldown costs at most a repeated answer; losing the
			// answer would be worse.
			t.e.log.Warn("reply cooldown", "chat_id", t.Event.ChatID, "err", err)
		} else if !ok {
			return nil
		}
	}
	text := rule.texts[t.e.replies.pick(len(rule.texts))]
	t.Reply(t.Fill(text, t.DisplayName(ctx, t.Event.From)))
	t.Done()
	return nil
}
