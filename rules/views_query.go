package rules

import (
	"context"
	"errors"
	"fmt"
)

// memberViewParts fill in what each feature knows about a member (points and
// level, check-in streak, warnings). Features add their part here.
var memberViewParts = []func(e *Engine, ctx context.Context, chatID string, v *MemberView) error{
	(*Engine).FillEngagement,
	(*Engine).fillWarnings,
}

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

// Member shows one member of one group; ErrNotFound for one never seen.
func (e *Engine) Member(ctx context.Context, chatID, userID string) (MemberView, error) {
	m, err := e.store.Member(ctx, chatID, userID)
	if err != nil {
		return MemberView{}, err
	}
	s, err := e.settings.get(ctx, e.store, chatID)
	if err != nil {
		return MemberView{}, err
	}
	v := MemberView{
		UserID: m.UserID, Name: m.Name, JoinedAt: m.JoinedAt, ProbationUntil: m.ProbationUntil,
		LeftAt: m.LeftAt, Inviter: m.Inviter, MutedUntil: m.MutedUntil,
	}
	if v.Name == "" {
		if name, err := e.store.Name(ctx, userID); err == nil {
			v.Name = name
		} else if !errors.Is(err, ErrNotFound) {
			return MemberView{}, err
		}
	}
	if v.MutedUntil != nil && !v.MutedUntil.After(e.now()) {
		v.MutedUntil = nil // a mute that has ended is not shown
	}
	t := &Turn{Event: botEventIn(chatID), Tx: e.store, Settings: s, e: e}
	if v.IsAdmin, err = t.IsAdmin(ctx, userID); err != nil {
		return MemberView{}, err
	}
	_, v.Title = s.LevelFor(0)
	for _, part := range memberViewParts {
		if err := part(e, ctx, chatID, &v); err != nil {
			return MemberView{}, err
		}
	}
	return v, nil
}

// Modlog lists a group's moderation record, newest first.
func (e *Engine) Modlog(ctx context.Context, chatID string, limit int) ([]ModEntry, error) {
	return e.store.ModlogEntries(ctx, chatID, limit)
}
