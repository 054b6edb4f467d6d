package rules

import (
	"context"
	"time"
)

// Ledger is the append-only record of points. Balances are derived from it:
// a member's balance is always the sum of their rows.
type Ledger interface {
	// AddEntry appends a row. A second row with the same IdemKey is not
	// written and added is false: that is how a retried delivery, or a retry
	// racing its original, can never credit twice.
	AddEntry(ctx context.Context, e LedgerEntry) (added bool, err error)
	// HasEntry reports whether a row with this idempotency key exists.
	HasEntry(ctx context.Context, idemKey string) (bool, error)
	Balance(ctx context.Context, chatID, userID string) (int, error)
	// Entries are newest first.
	Entries(ctx context.Context, chatID, userID string, limit int) ([]LedgerEntry, error)
}

// LedgerEntry is one ledger row.
type LedgerEntry struct {
	ID      int64
	ChatID  string
	UserID  string
	Delta   int
	Kind    string // one of the Ledger* kinds; stored values
	Reason  string
	Source  string // the event id that caused it
	Actor   string // who caused it: the member, an admin, or "qunbot"
	IdemKey string // unique: source event id + rule, e.g. "<event id>:checkin"
	At      time.Time
}

// Ledger kinds (INTERFACE.md section 8); stored values, never renamed.
const (
	LedgerCheckin  = "checkin"
	LedgerMakeup   = "makeup"
	LedgerMessage  = "message"
	LedgerInvite   = "invite"
	LedgerClawback = "clawback"
	LedgerGrant    = "grant"
	LedgerRedeem   = "redeem"
	LedgerRefund   = "refund" // an order refunded: the redeem's points back
)
