package rules

import (
	"context"
	"math/rand/v2"
)

// replyCache holds each group's compiled keyword rules (see compiledCache).
type replyCache struct {
	configured *configuredReplies
	// pick chooses among n alternative answers; injectable for tests.
	pick func(n int) int
	sets compiledCache[*replySet]
}

func newReplyCache(cfg *configuredReplies, pick func(n int) int) *replyCache {
	if pick == nil {
		pick = rand.IntN
	}
	return &replyCache{configured: cfg, pick: pick}
}

// get returns the group's compiled rules for the turn's settings.
func (c *replyCache) get(ctx context.Context, t *Turn) (*replySet, error) {
	return c.sets.get(ctx, t, func(ctx context.Context, t *Turn) (*replySet, error) {
		own, err := t.Tx.KeywordReplies(ctx, t.Event.ChatID)
		if err != nil {
			return nil, err
		}
		return compileReplies(c.configured.forGroup(t.Event.ChatID), own)
	})
}
