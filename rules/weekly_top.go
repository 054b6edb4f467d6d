package rules

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// JobWeeklyTop posts last week's 积分王 (top 3) every Monday at 09:00.
const JobWeeklyTop = "weekly_top"

// weeklyTopNext falls due at 09:00 every Monday in the configured zone; the
// run is that Monday's date.
func weeklyTopNext(_ *Settings, after time.Time) (time.Time, bool) {
	return NextWeekly("Mon 09:00", after)
}

// finishedWeek is the week before the Monday a run is named after.
func finishedWeek(run string, loc *time.Location) (Board, bool) {
	monday, err := time.ParseInLocation(time.DateOnly, run, loc)
	if err != nil {
		return Board{}, false
	}
	return BoardAt(PeriodWeek, monday.AddDate(0, 0, -1)), true
}

// runWeeklyTop is the tick handler of JobWeeklyTop: it posts the finished
// week's top 3 the way section 7.2 says, naming them.
func runWeeklyTop(ctx context.Context, t *Turn) error {
	if t.Event.ChatID == "" || t.Settings == nil || t.Event.Tick == nil {
		return nil
	}
	lastWeek, ok := finishedWeek(t.Event.Tick.Run, t.e.loc)
	if !ok {
		return nil
	}
	entries, err := t.e.board(ctx, t.Tx, t.Settings, t.Event.ChatID, lastWeek, 3)
	if err != nil || len(entries) == 0 {
		return err
	}
	return t.Post(ctx, weeklyTopText(lastWeek, entries), userIDs(entries)...)
}

var medals = []string{"🥇", "🥈", "🥉"}

func weeklyTopText(b Board, entries []BoardEntry) string {
	lines := []string{fmt.Sprintf(sayWeeklyTopTitle, weekName(b))}
	for i, e := range entries {
		lines = append(lines, fmt.Sprintf(sayWeeklyTopLine, medals[i], e.Name, e.Points, e.Title))
	}
	lines = append(lines, sayWeeklyTopCheer)
	return strings.Join(lines, "\n")
}

func userIDs(entries []BoardEntry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.UserID
	}
	return out
}
