package rules

import "context"

// LedgerOf is a group's ledger for the admin API, one member's when userID
// is set, newest first.
func (e *Engine) LedgerOf(ctx context.Context, chatID, userID string, limit int) ([]LedgerEntry, error) {
	return e.store.Entries(ctx, chatID, userID, limit)
}
