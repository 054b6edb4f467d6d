package rules

import (
	"context"
	"time"
)

// Engagement is what check-ins, message points and the shop need from the
// store, on top of the Ledger. It joins Tx.
type Engagement interface {
	// EarnedTotal is the sum of a member's rows that count toward rank and
	// level: everything but spending (SpendKinds).
	EarnedTotal(ctx context.Context, chatID, userID string) (int, error)
	// PeakEarned is the highest EarnedTotal the member ever had, the row with
	// idemKey left out (a clawback lowers the total, not the peak).
	PeakEarned(ctx context.Context, chatID, userID, idemKey string) (int, error)
	// EarnedBy sums what each member earned in [from, to) (zero bounds: ever),
	// members with nothing earned and members who left the group left out;
	// leaderboards are rebuilt from it.
	EarnedBy(ctx context.Context, chatID string, from, to time.Time) (map[string]int, error)
	// LockPoints serializes every spender of one member until the transaction
	// ends and returns the balance as committed, so two redemptions racing each
	// other can never both spend the same points.
	LockPoints(ctx context.Context, chatID, userID string) (balance int, err error)

	// LastCheckin is the member's latest check-in on or before day, or
	// ErrNotFound.
	LastCheckin(ctx context.Context, chatID, userID, day string) (Checkin, error)
	// AddCheckin records a check-in; added is false when the member already
	// has one that day (the unique (group, member, day) decides races).
	AddCheckin(ctx context.Context, c Checkin) (added bool, err error)
	// SetCheckinStreak rewrites the streak of one day (after a 补签 joins two runs).
	SetCheckinStreak(ctx context.Context, chatID, userID, day string, streak int) error

	// TakeMessageSlot grants message points at most once per cooldown and at
	// most cap times per day, atomically: granted is true when this message
	// earns. Slots are counted per local day (day, YYYY-MM-DD).
	TakeMessageSlot(ctx context.Context, s MessageSlot) (granted bool, err error)

	// ShopUsage locks one item of a group's shop until the transaction ends
	// and returns how many were redeemed in all and by userID.
	ShopUsage(ctx context.Context, chatID, item, userID string) (sold, mine int, err error)
	// AddOrder records a redemption, pending, and counts it against stock
	// and limit; id is the order's number.
	AddOrder(ctx context.Context, o Order) (id int64, err error)
}

// Checkin is one day's check-in of one member.
type Checkin struct {
	ChatID string
	UserID string
	Day    string // local YYYY-MM-DD
	Streak int    // consecutive days ending on Day
	Points int    // points credited (0 for a 补签)
	Makeup bool   // made up afterwards with 补签
	At     time.Time
}

// MessageSlot asks for one message credit.
type MessageSlot struct {
	ChatID, UserID string
	Day            string
	At             time.Time
	Cooldown       time.Duration
	DailyCap       int
}

// Order is one shop redemption.
type Order struct {
	ID        int64
	ChatID    string
	UserID    string
	Item      string
	Cost      int
	EventID   string
	At        time.Time
	Status    string // OrderPending, OrderDone or OrderRefunded
	DecidedBy string // who marked it done or refunded it
	DecidedAt *time.Time
	Reason    string // of a refund
}

// Leaderboards are the period boards kept in Redis sorted sets. Redis may
// lose them: a read then says ok=false and the engine rebuilds the board from
// the ledger (EarnedBy) with RebuildBoard. They join Counters.
type Leaderboards interface {
	// AddEarned adds an earned delta to each board that exists (a lost board
	// is left for the rebuild rather than restarted from this one row).
	AddEarned(ctx context.Context, chatID, userID string, delta int, boards []Board) error
	// Top returns the first n of a board, best first.
	Top(ctx context.Context, chatID string, b Board, n int) (top []Ranked, ok bool, err error)
	// RankOf returns a member's 1-based rank and score; rank 0 when absent.
	RankOf(ctx context.Context, chatID, userID string, b Board) (rank, score int, ok bool, err error)
	// Scores returns the scores of users on a board (absent users score 0).
	Scores(ctx context.Context, chatID string, b Board, users []string) (scores []int, ok bool, err error)
	// RebuildBoard replaces a board with totals.
	RebuildBoard(ctx context.Context, chatID string, b Board, totals map[string]int, now time.Time) error
	// DropFromBoards takes a member off each board (one who left the group).
	DropFromBoards(ctx context.Context, chatID, userID string, boards []Board) error
	// InvalidateBoards marks boards for a rebuild from the ledger at their
	// next read (a member who left came back).
	InvalidateBoards(ctx context.Context, chatID string, boards []Board) error
}

// Ranked is one member on a board.
type Ranked struct {
	UserID string
	Points int
}
