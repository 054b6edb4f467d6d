package rules

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

const statsUsage = sayUseStats

var statsCommand = &Command{
	Name: "stats", Aliases: []string{"统计"}, Usage: statsUsage, Role: RoleAdmin,
	Summary: sayAboutStats, Run: runStats,
}

// defaultStatsDays is the window of /stats and of the stats API without one.
const defaultStatsDays = 7

// ParseStatsDays reads a window such as "7d", "30d", "30" or "30天" ("" is
// the default 7), from 1 to MaxStatsDays days.
func ParseStatsDays(v string) (int, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return defaultStatsDays, true
	}
	v = strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(v), "d"), "天")
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > MaxStatsDays {
		return 0, false
	}
	return n, true
}

// runStats answers with the window's counts and most active members. The
// silent members are named only to staff: in the reply when asked from the
// 1:1 chat, else by app message to the owner, the admins and the caller.
func runStats(ctx context.Context, t *Turn, a Args) (string, error) {
	days, ok := ParseStatsDays(a.Get(0))
	if !ok || len(a.Fields) > 1 {
		return "", Userf(sayUsage, statsUsage)
	}
	st, err := t.e.statsOver(ctx, t.Tx, t.Event.ChatID, t.Day(), days)
	if err != nil {
		return "", err
	}
	if err := t.e.addSegments(ctx, t.Tx, t.Settings, &st); err != nil {
		return "", err
	}
	top, err := t.Tx.TopSpeakers(ctx, t.Event.ChatID, st.Window, topActiveShown)
	if err != nil {
		return "", err
	}
	title := fmt.Sprintf(sayStatsTitle, days, dayRange(st.From, st.To))
	lines := t.statsLines(ctx, title, st, top)
	if !t.e.fullTraffic {
		lines = append(lines, sayStatsSeenOnly)
	}
	private, err := t.silentList(ctx, st, fmt.Sprintf(sayStatsWindow, days))
	if err != nil || private == "" {
		return strings.Join(lines, "\n"), err
	}
	if t.Direct {
		return strings.Join(append(lines, "", private), "\n"), nil
	}
	if _, err := t.tellStaff(ctx, private, t.Event.From); err != nil {
		return "", err
	}
	lines = append(lines, fmt.Sprintf(sayStatsSilentSent, days, st.Unheard))
	return strings.Join(lines, "\n"), nil
}
