package rules

import "context"

// fillWarnings is moderation's member-view part: the member's active (real,
// unrevoked, unexpired) violations, the n of 警告 n/N.
func (e *Engine) fillWarnings(ctx context.Context, chatID string, v *MemberView) error {
	s, err := e.settings.get(ctx, e.store, chatID)
	if err != nil {
		return err
	}
	active, err := e.store.ActiveViolations(ctx, chatID, v.UserID, activeSince(s, e.now()), false)
	if err != nil {
		return err
	}
	v.Warnings = len(active)
	return nil
}
