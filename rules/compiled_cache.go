package rules

import (
	"context"
	"sync"
)

// compiledCache keeps a per-group value compiled from the store (banned-word
// matchers, keyword rules). An entry belongs to the *Settings it was built
// under: /banword and /reply mark the group's settings changed, which (here
// and, through Redis, on every replica) drops the compiled settings, so the
// next turn builds the value again, once.
type compiledCache[T any] struct {
	mu      sync.Mutex
	entries map[string]compiledEntry[T]
}

type compiledEntry[T any] struct {
	settings *Settings
	value    T
}

// get returns the turn's group's value, building it when the group's
// settings have changed since it was built.
func (c *compiledCache[T]) get(ctx context.Context, t *Turn, build func(ctx context.Context, t *Turn) (T, error)) (T, error) {
	chatID := t.Event.ChatID
	c.mu.Lock()
	e, ok := c.entries[chatID]
	c.mu.Unlock()
	if ok && e.settings == t.Settings {
		return e.value, nil
	}
	v, err := build(ctx, t)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]compiledEntry[T]{}
	}
	c.entries[chatID] = compiledEntry[T]{settings: t.Settings, value: v}
	c.mu.Unlock()
	return v, nil
}
