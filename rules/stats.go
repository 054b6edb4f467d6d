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
	Window   // the days reported on
	Days     int
	Members  int // current members
	Total    DayCounts
	Speakers int // distinct members who spoke in the window (Total.Speakers sums the days)

	MessagesPerMemberPerDay float64
	SpeakerShare            float64
	QuitRate                float64
	Segments                Segments
	Daily                   []DayCounts // one per day, oldest first
}

// Segments sort the people of the window: the current members into
// HighValue, Potential and Silent (they add up to Members), and those who
// left in the window into Churned.
type Segments struct {
	HighValue int // spoke on at least half the days of the window
	Potential int // spoke, on fewer days
	Silent    int // did not speak in the window
	Churned   int // left in the window and have not come back
}

// highValueDays is how many days of a window a high-value member spoke on:
// at least half of them, rounded up.
func highValueDays(days int) int { return (days + 1) / 2 }

// segment sorts the window's speakers: hist counts them by days spoken on.
func segment(days, members, churned int, hist []ActiveDays) Segments {
	s := Segments{Churned: churned}
	for _, b := range hist {
		switch {
		case !b.Present:
		case b.Days >= highValueDays(days):
			s.HighValue += b.Members
		default:
			s.Potential += b.Members
		}
	}
	s.Silent = max(members-s.HighValue-s.Potential, 0)
	return s
}

// derive computes the window's totals, ratios and segments.
func derive(days, members, churned int, daily []DayCounts, hist []ActiveDays) Stats {
	st := Stats{Days: days, Members: members, Daily: daily}
	for _, d := range daily {
		st.Total.Add(d)
	}
	for _, b := range hist {
		st.Speakers += b.Members
	}
	st.Segments = segment(days, members, churned, hist)
	st.MessagesPerMemberPerDay = ratio(st.Total.Messages, members*days)
	st.SpeakerShare = ratio(st.Speakers, members+churned)
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
	return e.statsOver(ctx, e.store, chatID, e.now().In(e.loc).Format(time.DateOnly), days)
}

// statsOver reads the window of days days ending on last from the roll-ups.
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
	members, churned, err := a.Population(ctx, chatID, w)
	if err != nil {
		return Stats{}, err
	}
	st := derive(days, members, churned, fillDays(list, rows), hist)
	st.Window = w
	return st, nil
}
