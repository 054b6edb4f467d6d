package rules

import (
	"context"
	"time"
)

// activeWarnings is a member's count of active (unrevoked, unexpired, real)
// violations, the n of 警告 n/N, for the member view.
func activeWarnings(ctx context.Context, tx Tx, s *Settings, chatID, userID string, now time.Time) (int, error) {
	active, err := tx.ActiveViolations(ctx, chatID, userID, activeSince(s, now), false)
	return len(active), err
}
