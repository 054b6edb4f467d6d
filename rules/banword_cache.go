package rules

import (
	"context"
	"fmt"
	"sync"
)

// banCache keeps each group's compiled banMatcher. An entry belongs to the
// *Settings it was built under: /banword changes mark the group's settings
// changed, which (here and, through Redis, on every replica) drops the
// compiled settings, so the next message rebuilds the matcher once.
type banCache struct {
	mu      sync.Mutex
	entries map[string]banEntry
}

type banEntry struct {
	settings *Settings
	matcher  *banMatcher
}

func (e *Engine) banMatcher(ctx context.Context, t *Turn) (*banMatcher, error) {
	c := &e.bans
	chatID := t.Event.ChatID
	c.mu.Lock()
	entry, ok := c.entries[chatID]
	c.mu.Unlock()
	if ok && entry.settings == t.Settings {
		return entry.matcher, nil
	}
	list, err := t.Tx.Banwords(ctx, chatID)
	if err != nil {
		return nil, fmt.Errorf("rules: banwords of %s: %w", chatID, err)
	}
	m := newBanMatcher(list)
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]banEntry{}
	}
	c.entries[chatID] = banEntry{settings: t.Settings, matcher: m}
	c.mu.Unlock()
	return m, nil
}

// modCounters are the moderation windows in Redis.
func (e *Engine) modCounters() ModCounters { return e.counters }
