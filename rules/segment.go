package rules

import (
	"context"
	"fmt"
	"time"
)

// Member segments: one definition, used by the member view, the member list,
// /stats, the stats API, the reports and the dashboard (see the package doc).
// Values are stored and shown by the API; never renamed.
const (
	SegmentHighValue = "high_value"
	SegmentPotential = "potential"
	SegmentSilent    = "silent"
	SegmentChurned   = "churned"
)

// SegmentNames are the segments in the order reports list them, with their
// Chinese names.
var SegmentNames = []struct{ Key, Name string }{
	{SegmentHighValue, saySegmentHighValue}, {SegmentPotential, saySegmentPotential}, {SegmentSilent, saySegmentSilent}, {SegmentChurned, saySegmentChurned},
}

// SegmentSettings are the thresholds: segment.high_value (at least N
// messages within the last Per), segment.silent and segment.churned (nothing
// for that long). Durations are whole days.
type SegmentSettings struct {
	HighValue Rate
	Silent    time.Duration
	Churned   time.Duration
}

// MemberActivity is what a member's segment on a day is decided from.
type MemberActivity struct {
	UserID   string
	Left     bool       // no longer in the group
	JoinedAt *time.Time // nil when unknown
	// LastDay is the last local day (YYYY-MM-DD) they spoke on, on or before
	// the day; "" when they have not.
	LastDay string
	// Recent counts their messages in the segment.high_value window ending
	// on the day.
	Recent int
}

// wholeDays is d in days, rounded down.
func wholeDays(d time.Duration) int { return int(d / day) }

// highValueFrom is the first day of the segment.high_value window ending on day.
func (s *Settings) highValueFrom(day string) string {
	return addDays(day, 1-wholeDays(s.Segment.HighValue.Per))
}

// SegmentCuts are the segment thresholds turned into the cut-offs of one
// day, so that a member's segment is a few comparisons, made the same way
// in Go (segmentOf) and by the store's counts (SegmentCounts). A member is
// quiet since a cut-off day when they have not spoken after it (LastDay on
// or before it) and joined on or before it (before the local midnight that
// ends it).
type SegmentCuts struct {
	Day           string    // the day segments are taken on
	ChurnedDay    string    // quiet since it: churned
	ChurnedBefore time.Time // the end of ChurnedDay
	SilentDay     string    // quiet since it: silent
	SilentBefore  time.Time
	RecentFrom    string // high value counts the messages from it to Day
	HighValue     int    // at least this many
}

// cutsOn are the settings' cut-offs on day (local YYYY-MM-DD).
func (s *Settings) cutsOn(loc *time.Location, on string) SegmentCuts {
	end := func(d string) time.Time {
		t, err := time.ParseInLocation(time.DateOnly, addDays(d, 1), loc)
		if err != nil {
			return time.Time{}
		}
		return t
	}
	c := SegmentCuts{Day: on, RecentFrom: s.highValueFrom(on), HighValue: s.Segment.HighValue.N,
		ChurnedDay: addDays(on, -wholeDays(s.Segment.Churned)), SilentDay: addDays(on, -wholeDays(s.Segment.Silent))}
	c.ChurnedBefore, c.SilentBefore = end(c.ChurnedDay), end(c.SilentDay)
	return c
}

// quietSince reports whether the member has been quiet since the cut-off:
// nothing said after cutDay, and in the group since cutDay or before (a
// member whose join is unknown is taken as just seen).
func (a MemberActivity) quietSince(cutDay string, cutEnd time.Time) bool {
	return a.LastDay <= cutDay && a.JoinedAt != nil && a.JoinedAt.Before(cutEnd)
}

// segmentOf is the member's segment on c.Day. The first that applies wins:
// churned (left, or quiet for segment.churned), silent (quiet for
// segment.silent), high value (at least segment.high_value), potential
// (everyone else: they spoke or joined within segment.silent, below high value).
func (c SegmentCuts) segmentOf(a MemberActivity) string {
	switch {
	case a.Left, a.quietSince(c.ChurnedDay, c.ChurnedBefore):
		return SegmentChurned
	case a.quietSince(c.SilentDay, c.SilentBefore):
		return SegmentSilent
	case a.Recent >= c.HighValue:
		return SegmentHighValue
	}
	return SegmentPotential
}

// add counts one member in seg.
func (sg *Segments) add(seg string) {
	switch seg {
	case SegmentHighValue:
		sg.HighValue++
	case SegmentPotential:
		sg.Potential++
	case SegmentSilent:
		sg.Silent++
	case SegmentChurned:
		sg.Churned++
	}
}

// addSegments sorts the group's current members into segments as of the
// window's last day, and adds those who left in the window to the churned.
// For a window ending today the store counts them itself (a member's last
// day spoken is then always on or before the day); for a past window
// (reports) each member's activity is read back to that day and sorted here.
func (e *Engine) addSegments(ctx context.Context, a Analytics, s *Settings, st *Stats) error {
	c := s.cutsOn(e.loc, st.To)
	var sg Segments
	var err error
	if st.To >= e.now().In(e.loc).Format(time.DateOnly) {
		sg, err = a.SegmentCounts(ctx, st.ChatID, c)
	} else {
		err = a.EachActivity(ctx, st.ChatID, st.To, c.RecentFrom, func(m MemberActivity) { sg.add(c.segmentOf(m)) })
	}
	if err != nil {
		return fmt.Errorf("rules: segments of %s: %w", st.ChatID, err)
	}
	sg.Churned += st.Left
	st.Segments = sg
	return nil
}

// maxChurnedDays bounds segment.silent and segment.churned: the store keeps
// 128 days of activity per member, and a report on a past window (the month
// before) must still see 90 days back from its end.
const maxChurnedDays = 90
