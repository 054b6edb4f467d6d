package rules

import (
	"context"
	"errors"
)

// LedgerOf is a group's ledger for the admin API, one member's when userID
// is set, newest first.
func (e *Engine) LedgerOf(ctx context.Context, chatID, userID string, limit int) ([]LedgerEntry, error) {
	return e.store.Entries(ctx, chatID, userID, limit)
}

// FillEngagement adds a member's points, level, title and check-in streak to
// their admin view. The streak is the one still alive: a member whose last
// check-in is older than yesterday has a streak of 0.
func (e *Engine) FillEngagement(ctx context.Context, chatID string, v *MemberView) error {
	s, err := e.settings.get(ctx, e.store, chatID)
	if err != nil {
		return err
	}
	if v.Points, err = e.store.Balance(ctx, chatID, v.UserID); err != nil {
		return err
	}
	earned, err := e.store.EarnedTotal(ctx, chatID, v.UserID)
	if err != nil {
		return err
	}
	v.Level, v.Title = s.LevelFor(earned)
	today := e.now().In(e.loc).Format("2006-01-02")
	last, err := e.store.LastCheckin(ctx, chatID, v.UserID, today)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	v.LastCheckinDay, v.CheckinStreak = last.Day, 0
	if last.Day == today || last.Day == prevDay(today) {
		v.CheckinStreak = last.Streak
	}
	return nil
}
