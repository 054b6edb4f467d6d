package rules

import (
	"context"
	"fmt"
)

// Groups lists every group the bot knows, with current member counts.
func (e *Engine) Groups(ctx context.Context) ([]GroupView, error) {
	groups, err := e.store.ListGroups(ctx)
	if err != nil {
		return nil, fmt.Errorf("rules: list groups: %w", err)
	}
	reaches, err := e.store.AIBotReaches(ctx)
	if err != nil {
		return nil, fmt.Errorf("rules: list groups: %w", err)
	}
	out := make([]GroupView, 0, len(groups))
	for _, g := range groups {
		s, err := e.settings.get(ctx, e.store, g.ChatID)
		if err != nil {
			return nil, err
		}
		out = append(out, GroupView{ChatID: g.ChatID, Name: s.Name, Kind: s.Kind, Members: g.Members,
			Reach: reaches[g.ChatID]})
	}
	return out, nil
}

// Modlog lists a group's moderation record, newest first.
func (e *Engine) Modlog(ctx context.Context, chatID string, limit int) ([]ModEntry, error) {
	return e.store.ModlogEntries(ctx, chatID, limit)
}
