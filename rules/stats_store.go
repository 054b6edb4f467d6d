package rules

import (
	"context"
	"time"
)

// Analytics are the activity roll-ups: per group and local day the counters
// of DayCounts, and per member and day their message count. They are written
// inside the turn that causes them, so they are exactly-once like every other
// effect; every read comes from them, never from scanning raw events. It
// joins Tx.
type Analytics interface {
	// CountMessage adds one message of userID, sent at `at` on day (local
	// YYYY-MM-DD), to the member's roll-up and the group's; the member's first
	// message of the day also makes them one of the day's speakers. The
	// member's roll-up keeps the time of their latest message.
	CountMessage(ctx context.Context, chatID, userID, day string, at time.Time) error
	// AddDayCounts adds d's check-ins, joins and leaves to the group's
	// counters of d.Day; userID is the member the event was about.
	AddDayCounts(ctx context.Context, chatID, userID string, d DayCounts) error

	// DayCounts are the group's counters of each day of w that has any,
	// oldest first.
	DayCounts(ctx context.Context, chatID string, w Window) ([]DayCounts, error)
	// ActiveDays counts the members who spoke in w by the number of days they
	// spoke on, split by whether they are still in the group.
	ActiveDays(ctx context.Context, chatID string, w Window) ([]ActiveDays, error)
	// TopSpeakers are the n members who spoke on the most days of w, with
	// their message counts; ties go to the one with more messages, then the
	// latest to speak, then by userid.
	TopSpeakers(ctx context.Context, chatID string, w Window, n int) ([]Speaker, error)
	// Population counts the group's current members and the members who left
	// in w (at or after w.Since) and have not come back.
	Population(ctx context.Context, chatID string, w Window) (members, left int, err error)
	// EachActivity calls fn, one current member at a time, with what their
	// segment on day is decided from: the last day they spoke on or before
	// day, and their messages from recentFrom to day. fn must not use the
	// store: the rows are still being read.
	EachActivity(ctx context.Context, chatID, day, recentFrom string, fn func(MemberActivity)) error
	// SegmentCounts sorts the group's current members into segments by c,
	// as SegmentCuts.segmentOf would one at a time, for a c.Day no member
	// has spoken after (today).
	SegmentCounts(ctx context.Context, chatID string, c SegmentCuts) (Segments, error)
	// SilentMembers are up to n current members who have not spoken since w
	// began (for a window ending today: who did not speak in it), longest in
	// the group first.
	SilentMembers(ctx context.Context, chatID string, w Window, n int) ([]string, error)
}

// Window is a range of whole local days, From to To (YYYY-MM-DD, both
// included); Since is the instant From starts in the configured zone.
type Window struct {
	From, To string
	Since    time.Time
}

// DayCounts are one group's counters of one local day.
type DayCounts struct {
	Day      string // YYYY-MM-DD
	Messages int    // messages the bot saw in the group, commands included
	Speakers int    // distinct members who sent them
	Checkins int    // 签到 (a 补签 is not counted: it makes up a past day)
	Joins    int
	Leaves   int
}

// Add sums o into d (Day is kept).
func (d *DayCounts) Add(o DayCounts) {
	d.Messages += o.Messages
	d.Speakers += o.Speakers
	d.Checkins += o.Checkins
	d.Joins += o.Joins
	d.Leaves += o.Leaves
}

// ActiveDays is one bucket of the speakers histogram: Members members (still
// in the group when Present) spoke on exactly Days days of the window.
type ActiveDays struct {
	Days    int
	Present bool
	Members int
}

// Speaker is one member's activity over a window.
type Speaker struct {
	UserID   string
	Messages int
	Days     int // days they spoke on
}
