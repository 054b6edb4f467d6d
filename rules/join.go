package rules

import (
	"context"
	"time"
)

// Join is one arrival of a member in a group, from the join event (or a
// reconciled read-back) until everything it owes is settled: the welcome,
// the inviter's credit and the entry quiz. A member who leaves and comes back
// has a second Join.
type Join struct {
	ID       int64
	ChatID   string
	UserID   string
	EventID  string // the delivery that recorded it; part of the credit's idempotency key
	JoinedAt time.Time
	Scene    int // JoinScene: 0 invited, 3 scanned the group QR code
	Inviter  string
	// InviterKnown is set once groupchat/get was read after the join (the
	// inviter may still be "": a QR code scan, an internal group).
	InviterKnown bool
	Credited     int // points credited to Inviter for this join; 0 none
	Welcomed     bool
	Quiz         string     // QuizNone | QuizPending | QuizPassed | QuizFailed
	QuizDue      *time.Time // when a pending quiz becomes a violation
	LeftAt       *time.Time
}

// Quiz states; stored values.
const (
	QuizNone    = ""
	QuizPending = "pending"
	QuizPassed  = "passed"
	QuizFailed  = "failed"
)

// Joins records arrivals and each group's member-list version.
type Joins interface {
	// AddJoin records a join; a second one with the same EventID and UserID
	// is not written (added is false).
	AddJoin(ctx context.Context, j Join) (added bool, err error)
	SaveJoin(ctx context.Context, j Join) error
	// LatestJoin is the member's most recent join in the group, or ErrNotFound.
	LatestJoin(ctx context.Context, chatID, userID string) (Join, error)
	// OpenJoins are the group's joins of members still present that owe
	// something (not welcomed, inviter not yet read, quiz pending), oldest first.
	OpenJoins(ctx context.Context, chatID string) ([]Join, error)
	// PresentMembers are the group's members who have not left.
	PresentMembers(ctx context.Context, chatID string) ([]Member, error)
	// MemVersion is the group's last stored CurMemVer, "" when none.
	MemVersion(ctx context.Context, chatID string) (string, error)
	SetMemVersion(ctx context.Context, chatID, version string, at time.Time) error
}

// Owes reports whether the join still waits for something.
func (j Join) Owes() bool {
	return j.LeftAt == nil && (!j.Welcomed || !j.InviterKnown || j.Quiz == QuizPending)
}

// InProbation reports whether the member is still on probation at now:
// links count as violations while it lasts.
func (m Member) InProbation(now time.Time) bool {
	return m.ProbationUntil != nil && now.Before(*m.ProbationUntil) && m.LeftAt == nil
}
