package rules

import (
	"context"
	"math/rand/v2"
	"sync"
)

// replyCache holds each group's compiled keyword rules. An entry is valid as
// long as the group's compiled Settings are the same value: /reply marks the
// settings dirty, which drops them here and, through the settings-changed
// publication, on every replica, so the rules are compiled again once.
type replyCache struct {
	configured *configuredReplies
	// pick chooses among n alternative answers; injectable for tests.
	pick func(n int) int

	mu      sync.Mutex
	entries map[string]replyEntry
}

type replyEntry struct {
	settings *Settings
	set      *replySet
}

func newReplyCache(cfg *configuredReplies, pick func(n int) int) *replyCache {
	if pick == nil {
		pick = rand.IntN
	}
	return &replyCache{configured: cfg, pick: pick, entries: map[string]replyEntry{}}
}

// get returns the group's compiled rules for the turn's settings.
func (c *replyCache) get(ctx context.Context, t *Turn) (*replySet, error) {
	chatID := t.Event.ChatID
	c.mu.Lock()
	e, ok := c.entries[chatID]
	c.mu.Unlock()
	if ok && e.settings == t.Settings {
		return e.set, nil
	}
	own, err := t.Tx.KeywordReplies(ctx, chatID)
	if err != nil {
		return nil, err
	}
	set, err := compileReplies(c.configured.forGroup(chatID), own)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.entries[chatID] = replyEntry{settings: t.Settings, set: set}
	c.mu.Unlock()
	return set, nil
}
