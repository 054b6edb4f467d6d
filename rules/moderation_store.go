package rules

import (
	"context"
	"time"
)

// Moderation is the durable record moderation needs: each group's banned
// words, every violation, and the removals waiting for staff to decide.
type Moderation interface {
	Banwords(ctx context.Context, chatID string) ([]Banword, error)
	// AddBanword is false when the group already has that pattern.
	AddBanword(ctx context.Context, b Banword, at time.Time) (added bool, err error)
	DelBanword(ctx context.Context, chatID, pattern string) (removed bool, err error)

	AddViolation(ctx context.Context, v Violation) error
	// ActiveViolations are a member's violations at or after since that were
	// not revoked, shadow ones or real ones as asked, newest first.
	ActiveViolations(ctx context.Context, chatID, userID string, since time.Time, shadow bool) ([]Violation, error)
	RevokeViolation(ctx context.Context, id int64, actor string, at time.Time) error

	AddRemoval(ctx context.Context, r Removal) (id int64, err error)
	// Removal returns ErrNotFound for an unknown id.
	Removal(ctx context.Context, id int64) (Removal, error)
	// DecideRemoval settles a pending removal; false when it was already decided.
	DecideRemoval(ctx context.Context, id int64, decision, decider string, at time.Time) (decided bool, err error)
}

// ModCounters are the sliding windows of flooding and repetition, kept in
// Redis: fast, and harmless to lose.
type ModCounters interface {
	// HitWindow records hit id for (chatID, userID, scope) at at, forgets hits
	// older than per and returns how many remain, this one included. The same
	// id recorded twice counts once, so a retried turn cannot double a count.
	HitWindow(ctx context.Context, chatID, userID, scope, id string, at time.Time, per time.Duration) (int, error)
	ClearWindow(ctx context.Context, chatID, userID, scope string) error
}

// Violation kinds; stored values, never renamed.
const (
	ViolationBanword       = "banword"
	ViolationLink          = "link"
	ViolationProbationLink = "probation_link"
	ViolationCard          = "card"
	ViolationMiniProgram   = "miniprogram"
	ViolationFlood         = "flood"
	ViolationRepeat        = "repeat"
	ViolationMuted         = "muted"
	ViolationManual        = "manual" // /warn
)

// Violation is one recorded offence. Shadow ones were found in shadow mode
// and only count towards the shadow ladder.
type Violation struct {
	ID        int64
	ChatID    string
	UserID    string
	Kind      string
	Reason    string
	Evidence  string
	Source    string // the event id that caused it
	Actor     string // "qunbot" for detectors, the admin for /warn
	Shadow    bool
	At        time.Time
	RevokedAt *time.Time
}

// Removal decisions; stored values.
const (
	DecisionRemove = "remove"
	DecisionIgnore = "ignore"
)

// Removal is a removal waiting for the owner or an admin to click 移出 or 忽略
// on the card (groups the app did not create cannot be changed by API).
type Removal struct {
	ID        int64
	ChatID    string
	UserID    string
	Reason    string
	Evidence  string
	Actor     string
	At        time.Time
	Decision  string // "" while pending
	Decider   string
	DecidedAt *time.Time
}

// botActor is the actor of what qunbot decides by itself.
const botActor = "qunbot"

// activeSince is the start of the violation.expire window; zero keeps every
// violation active.
func activeSince(s *Settings, now time.Time) time.Time {
	if s.Violation.Expire <= 0 {
		return time.Time{}
	}
	return now.Add(-s.Violation.Expire)
}
