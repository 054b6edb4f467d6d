package rules

import (
	"context"
	"fmt"
	"math"
	"time"
)

// MaxStatsDays is the longest window /stats and the stats API report on.
const MaxStatsDays = 90

// Stats is a group's activity over a window of whole local days, read from
// the roll-ups. The derived figures and the segments are defined in the
// package doc ("Analytics").
type Stats struct {
	ChatID   string
	Window   // the days reported on
	Days     int
	Members  int // current members
	Left     int // members who left in the window and have not come back
	Total    DayCounts
	Speakers int // distinct members who spoke in the window (Total.Speakers sums the days)
	Unheard  int // current members who did not speak in the window

	MessagesPerMemberPerDay float64
	SpeakerShare            float64
	QuitRate                float64
	Segments                Segments    // as of the window's last day
	Daily                   []DayCounts // one per day, oldest first
}

// Segments count the group's members by segment (segment.go) as of a day:
// the current members into all four (they add up to Members), and those
// who left in the window into Churned too.
type Segments struct {
	HighValue int
	Potential int
	Silent    int
	Churned   int
}

// derive computes the window's totals and ratios; left counts those who left
// in it and have not come back.
func derive(days, members, left int, daily []DayCounts, hist []ActiveDays) Stats {
	st := Stats{Days: days, Members: members, Left: left, Daily: daily}
	for _, d := range daily {
		st.Total.Add(d)
	}
	present := 0
	for _, b := range hist {
		st.Speakers += b.Members
		if b.Present {
			present += b.Members
		}
	}
	st.Unheard = max(members-present, 0)
	st.MessagesPerMemberPerDay = ratio(st.Total.Messages, members*days)
	st.SpeakerShare = ratio(st.Speakers, members+left)
	st.QuitRate = ratio(st.Total.Leaves, members+st.Total.Leaves)
	return st
}

// ratio is n/d rounded to 4 decimals, 0 when d is 0.
func ratio(n, d int) float64 {
	if d <= 0 {
		return 0
	}
	return math.Round(float64(n)/float64(d)*1e4) / 1e4
}

// windowDays lists the days ending on last, oldest first.
func windowDays(last string, days int) ([]string, error) {
	end, err := time.Parse(time.DateOnly, last)
	if err != nil {
		return nil, fmt.Errorf("rules: window ending %q: %w", last, err)
	}
	out := make([]string, days)
	for i := range days {
		out[i] = end.AddDate(0, 0, i-days+1).Format(time.DateOnly)
	}
	return out, nil
}

// addDays is the day n days after day (YYYY-MM-DD); day itself when it is
// not a date.
func addDays(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

// fillDays gives every day of the window its counters, zero when none.
func fillDays(days []string, rows []DayCounts) []DayCounts {
	byDay := make(map[string]DayCounts, len(rows))
	for _, r := range rows {
		byDay[r.Day] = r
	}
	out := make([]DayCounts, len(days))
	for i, d := range days {
		out[i] = byDay[d]
		out[i].Day = d
	}
	return out
}

// Stats reports a group's last days days, today included.
func (e *Engine) Stats(ctx context.Context, chatID string, days int) (Stats, error) {
	if days < 1 || days > MaxStatsDays {
		return Stats{}, fmt.Errorf("rules: stats over %d days: must be 1 to %d", days, MaxStatsDays)
	}
	s, err := e.settings.get(ctx, e.store, chatID)
	if err != nil {
		return Stats{}, err
	}
	st, err := e.statsOver(ctx, e.store, chatID, e.now().In(e.loc).Format(time.DateOnly), days)
	if err != nil {
		return Stats{}, err
	}
	return st, e.addSegments(ctx, e.store, s, &st)
}

// statsOver reads the window of days days ending on last from the roll-ups
// (addSegments adds the segments).
func (e *Engine) statsOver(ctx context.Context, a Analytics, chatID, last string, days int) (Stats, error) {
	list, err := windowDays(last, days)
	if err != nil {
		return Stats{}, err
	}
	since, err := time.ParseInLocation(time.DateOnly, list[0], e.loc)
	if err != nil {
		return Stats{}, fmt.Errorf("rules: stats window: %w", err)
	}
	w := Window{From: list[0], To: last, Since: since}
	rows, err := a.DayCounts(ctx, chatID, w)
	if err != nil {
		return Stats{}, err
	}
	hist, err := a.ActiveDays(ctx, chatID, w)
	if err != nil {
		return Stats{}, err
	}
	members, left, err := a.Population(ctx, chatID, w)
	if err != nil {
		return Stats{}, err
	}
	st := derive(days, members, left, fillDays(list, rows), hist)
	st.Window, st.ChatID = w, chatID
	return st, nil
}
