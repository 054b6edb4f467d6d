package rules

import "time"

// GroupView is one group as the admin API lists it.
type GroupView struct {
	ChatID  string
	Name    string
	Kind    string // internal | appchat | external
	Members int    // members currently in the group
	// Reach is whether the 智能机器人 may post into the group over the long
	// connection; State "" when it never heard from the group that way.
	Reach Reach
}

// MemberView is one member of one group as the admin API shows it
// (INTERFACE.md section 8). Unset times are nil.
type MemberView struct {
	UserID         string
	Name           string
	Points         int
	Level          int
	Title          string
	CheckinStreak  int
	LastCheckinDay string // YYYY-MM-DD in the configured zone; "" when never
	Warnings       int    // active warnings
	MutedUntil     *time.Time
	JoinedAt       *time.Time
	ProbationUntil *time.Time
	LeftAt         *time.Time
	Inviter        string
	IsAdmin        bool
	Segment        string     // high_value | potential | silent | churned (segment.go)
	LastMessageAt  *time.Time // nil when they never spoke
}
