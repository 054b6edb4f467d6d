package rules

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const scheduleUsage = sayUseSchedule

var scheduleCommand = &Command{
	Name: "schedule", Aliases: []string{"定时"}, Usage: scheduleUsage, Role: RoleAdmin,
	Summary: sayAboutSchedule, Run: runSchedule,
}

// maxSchedules bounds a group's scheduled posts.
const maxSchedules = 50

func runSchedule(ctx context.Context, t *Turn, a Args) (string, error) {
	switch sub := strings.ToLower(a.Get(0)); sub {
	case "add":
		return addSchedule(ctx, t, a.Rest(1))
	case "list", "":
		return listSchedules(ctx, t)
	case "del", "delete", "rm":
		id, err := strconv.ParseInt(strings.TrimPrefix(a.Get(1), "#"), 10, 64)
		if err != nil || len(a.Fields) != 2 {
			return "", Userf(sayScheduleDelUsage)
		}
		ok, err := t.Tx.DelSchedule(ctx, t.Event.ChatID, id)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", Userf(sayScheduleNone, id)
		}
		return fmt.Sprintf(sayScheduleDeleted, id), nil
	}
	return "", Userf(sayUsage, scheduleUsage)
}

// splitCron takes the expression off the front of rest: quoted ("…", “…”,
// '…') or, unquoted, its first five fields.
func splitCron(rest string) (spec, text string, ok bool) {
	rest = strings.TrimSpace(rest)
	for _, q := range [][2]string{{`"`, `"`}, {"“", "”"}, {"'", "'"}} {
		if after, found := strings.CutPrefix(rest, q[0]); found {
			spec, text, ok = strings.Cut(after, q[1])
			return strings.TrimSpace(spec), strings.TrimSpace(text), ok
		}
	}
	a := newArgs(rest)
	if len(a.Fields) < 6 {
		return "", "", false
	}
	return strings.Join(a.Fields[:5], " "), a.Rest(5), true
}

func addSchedule(ctx context.Context, t *Turn, rest string) (string, error) {
	spec, text, ok := splitCron(rest)
	if !ok || text == "" {
		return "", Userf(sayUsage, scheduleUsage)
	}
	if err := checkLen(sayFieldSchedule, text, MaxScheduleTextLen); err != nil {
		return "", err
	}
	if err := checkLen(sayFieldCron, spec, MaxCronLen); err != nil {
		return "", err
	}
	sched, err := ParseCron(spec)
	if err != nil {
		return "", Userf("%v", err)
	}
	next, ok := nextCron(sched, t.Local())
	if !ok {
		return "", Userf(sayScheduleNever, spec)
	}
	have, err := t.Tx.Schedules(ctx, t.Event.ChatID)
	if err != nil {
		return "", err
	}
	if len(have) >= maxSchedules {
		return "", Userf(sayScheduleFull, len(have))
	}
	id, err := t.Tx.AddSchedule(ctx, Schedule{ChatID: t.Event.ChatID, Spec: spec, Text: text,
		CreatedBy: t.Event.From, CreatedAt: t.Now})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(sayScheduleAdded, id, spec, sayWhen(next)), nil
}

func listSchedules(ctx context.Context, t *Turn) (string, error) {
	list, err := t.Tx.Schedules(ctx, t.Event.ChatID)
	if err != nil {
		return "", err
	}
	if len(list) == 0 {
		return sayScheduleEmpty, nil
	}
	lines := []string{fmt.Sprintf(sayScheduleTitle, len(list))}
	for _, p := range list {
		next := sayScheduleInvalid
		if sched, err := ParseCron(p.Spec); err == nil {
			if at, ok := nextCron(sched, t.Local()); ok {
				next = fmt.Sprintf(sayScheduleNext, sayWhen(at))
			}
		}
		lines = append(lines, fmt.Sprintf("#%d %s · %s · %s", p.ID, p.Spec, next, clipRunes(p.Text, 30)))
	}
	return strings.Join(lines, "\n"), nil
}

var weekdayNames = []string{saySunday, sayMonday, sayTuesday, sayWednesday, sayThursday, sayFriday, saySaturday}

// sayWhen is "11-27 20:00 周五".
func sayWhen(at time.Time) string {
	return fmt.Sprintf(sayWhenAt, int(at.Month()), at.Day(), weekdayNames[at.Weekday()], at.Format("15:04"))
}

// clipRunes shortens s to n characters with an ellipsis.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
