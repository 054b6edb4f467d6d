package rules

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// JobWeeklyTop posts last week's 积分王 (top 3) every Monday at 09:00.
const JobWeeklyTop = "weekly_top"

// weeklyTopDue says whether the weekly post of the week containing local is
// due: from Monday 09:00 on. The run is the finished week's key, so each week
// is posted once whenever the scheduler first sees it due.
func weeklyTopDue(_ *Settings, local time.Time) (run string, due bool) {
	monday := BoardAt(PeriodWeek, local).From
	if local.Before(monday.Add(9 * time.Hour)) {
		return "", false
	}
	return BoardAt(PeriodWeek, monday.AddDate(0, 0, -1)).Key, true
}

// runWeeklyTop is the tick handler of JobWeeklyTop: it posts the finished
// week's top 3 the way section 7.2 says, naming them.
func runWeeklyTop(ctx context.Context, t *Turn) error {
	if t.Event.ChatID == "" || t.Settings == nil {
		return nil
	}
	lastWeek := BoardAt(PeriodWeek, t.Local().AddDate(0, 0, -7))
	entries, err := t.e.board(ctx, t.Tx, t.Settings, t.Event.ChatID, lastWeek, 3)
	if err != nil || len(entries) == 0 {
		return err
	}
	return t.Post(ctx, weeklyTopText(lastWeek, entries), userIDs(entries)...)
}

var medals = []string{"🥇", "🥈", "🥉"}

func weeklyTopText(b Board, entries []BoardEntry) string {
	lines := []string{fmt.Sprintf("🏆 上周积分王（%s）", b.Key)}
	for i, e := range entries {
		lines = append(lines, fmt.Sprintf("%s %s  %d 分 · %s", medals[i], e.Name, e.Points, e.Title))
	}
	lines = append(lines, "本周继续签到、发言，冲击积分王吧！")
	return strings.Join(lines, "\n")
}

func userIDs(entries []BoardEntry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.UserID
	}
	return out
}
