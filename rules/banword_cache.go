package rules

import (
	"context"
	"fmt"
)

// banCache keeps each group's compiled banMatcher.
type banCache = compiledCache[*banMatcher]

func (e *Engine) banMatcher(ctx context.Context, t *Turn) (*banMatcher, error) {
	return e.bans.get(ctx, t, func(ctx context.Context, t *Turn) (*banMatcher, error) {
		list, err := t.Tx.Banwords(ctx, t.Event.ChatID)
		if err != nil {
			return nil, fmt.Errorf("rules: banwords of %s: %w", t.Event.ChatID, err)
		}
		return newBanMatcher(list), nil
	})
}

// modCounters are the moderation windows in Redis.
func (e *Engine) modCounters() ModCounters { return e.counters }
