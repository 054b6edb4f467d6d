package rules

import (
	"context"
	"fmt"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// scheduledJob is a job that runs once per group per period: Due says, for
// a group's settings and the local time, whether a run is due and names it
// (a run is handled exactly once, like any delivery); Run does it.
type scheduledJob struct {
	Job string
	Due func(s *Settings, local time.Time) (run string, due bool)
	Run func(ctx context.Context, t *Turn) error
}

// scheduledJobs is the job table. Features add their job here.
var scheduledJobs = []scheduledJob{
	{JobWeeklyTop, weeklyTopDue, runWeeklyTop},
	quizJob,
	dailyReportJob, weeklyReportJob,
}

// catchUp is how long after its time a missed run still happens (the process
// was down at 09:00 but is up at 10:30): long enough to survive a restart,
// short enough that a group first seen on Thursday gets no Monday post.
const catchUp = 6 * time.Hour

// WeeklyDue is a Due for a "Mon 09:00" spec; the run is the date it fell on.
func WeeklyDue(spec string, local time.Time) (string, bool) {
	day, h, m, ok := ParseWeekly(spec)
	if !ok {
		return "", false
	}
	offset := (int(local.Weekday()) - int(day) + 7) % 7
	at := time.Date(local.Year(), local.Month(), local.Day()-offset, h, m, 0, 0, local.Location())
	if local.Before(at) {
		at = at.AddDate(0, 0, -7)
	}
	return at.Format(time.DateOnly), local.Sub(at) < catchUp
}

// DailyDue is a Due for an "HH:MM" spec; the run is the date.
func DailyDue(spec string, local time.Time) (string, bool) {
	h, m, ok := ParseClock(spec)
	if !ok {
		return "", false
	}
	at := time.Date(local.Year(), local.Month(), local.Day(), h, m, 0, 0, local.Location())
	if local.Before(at) {
		at = at.AddDate(0, 0, -1)
	}
	return at.Format(time.DateOnly), local.Sub(at) < catchUp
}

// DueTicks lists the scheduled runs due now for every known group. Handling
// a tick twice is harmless (its ID makes it exactly-once), so the scheduler
// may call this as often as it likes and on every replica.
func (e *Engine) DueTicks(ctx context.Context, now time.Time) ([]bot.Event, error) {
	if len(scheduledJobs) == 0 {
		return nil, nil
	}
	groups, err := e.store.ListGroups(ctx)
	if err != nil {
		return nil, fmt.Errorf("rules: due ticks: %w", err)
	}
	local := now.In(e.loc)
	var due []bot.Event
	for _, g := range groups {
		s, err := e.settings.get(ctx, e.store, g.ChatID)
		if err != nil {
			return nil, err
		}
		for _, j := range scheduledJobs {
			run, ok := j.Due(s, local)
			if !ok {
				continue
			}
			due = append(due, bot.Event{
				ID: "tick:" + g.ChatID + ":" + j.Job + ":" + run, Channel: bot.ChannelSystem, Kind: bot.KindTick,
				ChatID: g.ChatID, From: "qunbot", At: now, Tick: &bot.Tick{Job: j.Job, Run: run},
			})
		}
	}
	return due, nil
}

// runTick runs the job a tick names.
func runTick(ctx context.Context, t *Turn) error {
	if t.Event.Tick == nil {
		return nil
	}
	for _, j := range scheduledJobs {
		if j.Job == t.Event.Tick.Job {
			return j.Run(ctx, t)
		}
	}
	return nil
}
