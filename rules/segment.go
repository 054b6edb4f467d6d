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
	{SegmentHighValue, "高价值"}, {SegmentPotential, "潜在"}, {SegmentSilent, "沉默"}, {SegmentChurned, "流失"},
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
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, 1-wholeDays(s.Segment.HighValue.Per)).Format(time.DateOnly)
}

// quietDays counts the whole days from the later of the last day the member
// spoke and the day they joined, to day: 0 for someone who spoke (or joined)
// that day. A member with neither known is taken as just seen.
func quietDays(loc *time.Location, day string, a MemberActivity) int {
	since := a.LastDay
	if a.JoinedAt != nil {
		if joined := a.JoinedAt.In(loc).Format(time.DateOnly); joined > since {
			since = joined
		}
	}
	d, ok1 := dayNumber(day)
	s, ok2 := dayNumber(since)
	if !ok1 || !ok2 || s > d {
		return 0
	}
	return d - s
}

func dayNumber(day string) (int, bool) {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return 0, false
	}
	return int(t.Unix() / 86400), true
}

// segmentOf is the member's segment on day. The first that applies wins:
// churned (left, or nothing for segment.churned), silent (nothing for
// segment.silent), high value (at least segment.high_value), potential
// (everyone else: they spoke or joined within segment.silent, below high value).
func (s *Settings) segmentOf(loc *time.Location, day string, a MemberActivity) string {
	quiet := quietDays(loc, day, a)
	switch {
	case a.Left, quiet >= wholeDays(s.Segment.Churned):
		return SegmentChurned
	case quiet >= wholeDays(s.Segment.Silent):
		return SegmentSilent
	case a.Recent >= s.Segment.HighValue.N:
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
func (e *Engine) addSegments(ctx context.Context, a Analytics, s *Settings, st *Stats) error {
	sg, day := Segments{Churned: st.Left}, st.To
	err := a.EachActivity(ctx, st.ChatID, day, s.highValueFrom(day), func(m MemberActivity) {
		sg.add(s.segmentOf(e.loc, day, m))
	})
	if err != nil {
		return fmt.Errorf("rules: segments of %s: %w", st.ChatID, err)
	}
	st.Segments = sg
	return nil
}

// maxChurnedDays bounds segment.silent and segment.churned: the store keeps
// 128 days of activity per member, and a report on a past window (the month
// before) must still see 90 days back from its end.
const maxChurnedDays = 90
