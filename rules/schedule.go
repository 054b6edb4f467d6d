package rules

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// Scheduling. Everything qunbot does on its own clock is a timer of one
// group: the jobs of scheduledJobs (reports, 积分王, health and follow-up,
// which ride on the reports, and the entry-quiz check) and each scheduled post
// added with /schedule. A timer names the instants it falls due; the run due
// at an instant is a tick event whose id names the group, the job and the run
// (tick:G1:report_daily:2026-11-21, tick:G1:schedule:3@2026-11-21T20:00+08:00),
// so it is claimed in the database like any delivery and happens exactly once
// whatever the number of replicas and scheduler passes.
//
// A pass at now runs, per timer, the latest run due at or before now if it is
// less than the timer's catch-up old: a run missed while qunbot was down is
// made up once when it starts again, and older ones are skipped (Skipped lists
// them so the scheduler can log them).

// scheduledJob is a job of the table below: Next gives, for a group's
// settings, the first instant after `after` (local) it falls due; Run names
// the run due at an instant (default: its local date, the period a report
// covers); Handle does it.
type scheduledJob struct {
	Job     string
	Next    func(s *Settings, after time.Time) (time.Time, bool)
	Run     func(at time.Time) string
	CatchUp time.Duration
	// Poll marks a job that only looks for overdue work (the entry quiz): it
	// is tried on every pass, but NextDue does not step through it and a
	// missed run is not worth a log line.
	Poll   bool
	Handle func(ctx context.Context, t *Turn) error
}

// scheduledJobs is the job table, in the order runs due at the same instant
// are handled. Features add their job here.
var scheduledJobs = []scheduledJob{
	dailyReportJob, weeklyReportJob, monthlyReportJob,
	{Job: JobWeeklyTop, Next: weeklyTopNext, CatchUp: reportCatchUp, Handle: runWeeklyTop},
	quizJob,
}

// reportCatchUp is how long after its time a missed report or 积分王 still
// goes out (the process was down at 09:00 but is up at 10:30): long enough
// to survive a restart, short enough that a group first seen on Thursday gets
// no Monday post.
const reportCatchUp = 6 * time.Hour

// maxSteps bounds how many due instants one timer is walked through in one
// call (a per-minute schedule over a long outage).
const maxSteps = 10_000

// timer is one recurring run of one group.
type timer struct {
	ChatID  string
	Job     string
	Next    func(after time.Time) (time.Time, bool)
	Run     func(at time.Time) string
	CatchUp time.Duration
	Since   time.Time // nothing falls due at or before it (when a post was scheduled)
	Poll    bool
	PostID  int64 // a scheduled post's id
}

// next is the first instant after `after` (and after Since) it falls due.
func (tm timer) next(after time.Time) (time.Time, bool) {
	if after.Before(tm.Since) {
		after = tm.Since
	}
	return tm.Next(after)
}

// latest is the last instant at or before now that is less than CatchUp old.
func (tm timer) latest(now time.Time) (time.Time, bool) {
	var last time.Time
	found := false
	at, ok := tm.next(now.Add(-tm.CatchUp))
	for i := 0; ok && !at.After(now) && i < maxSteps; i++ {
		last, found = at, true
		at, ok = tm.next(at)
	}
	return last, found
}

func (tm timer) tick(at, now time.Time) bot.Event {
	run := tm.Run(at)
	return bot.Event{
		ID: "tick:" + tm.ChatID + ":" + tm.Job + ":" + run, Channel: bot.ChannelSystem, Kind: bot.KindTick,
		ChatID: tm.ChatID, From: "qunbot", At: now, Tick: &bot.Tick{Job: tm.Job, Run: run},
	}
}

// dateRun names a run by its local date.
func dateRun(at time.Time) string { return at.Format(time.DateOnly) }

// timers are every group's timers: the job table's, then the scheduled posts.
func (e *Engine) timers(ctx context.Context) ([]timer, error) {
	groups, err := e.store.ListGroups(ctx)
	if err != nil {
		return nil, fmt.Errorf("rules: timers: %w", err)
	}
	var out []timer
	for _, g := range groups {
		s, err := e.settings.get(ctx, e.store, g.ChatID)
		if err != nil {
			return nil, err
		}
		for _, j := range scheduledJobs {
			run := j.Run
			if run == nil {
				run = dateRun
			}
			out = append(out, timer{ChatID: g.ChatID, Job: j.Job, Run: run, CatchUp: j.CatchUp, Poll: j.Poll,
				Next: func(after time.Time) (time.Time, bool) { return j.Next(s, after.In(e.loc)) }})
		}
	}
	posts, err := e.store.Schedules(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("rules: timers: %w", err)
	}
	for _, p := range posts {
		if tm, ok := e.postTimer(p); ok {
			out = append(out, tm)
		}
	}
	return out, nil
}

// DueTicks lists the runs due now, in the order they fell due. Handling a
// tick twice is harmless (its id makes it exactly-once), so the scheduler
// may call this as often as it likes and on every replica.
func (e *Engine) DueTicks(ctx context.Context, now time.Time) ([]bot.Event, error) {
	timers, err := e.timers(ctx)
	if err != nil {
		return nil, err
	}
	type due struct {
		at time.Time
		ev bot.Event
	}
	var list []due
	for _, tm := range timers {
		if at, ok := tm.latest(now); ok {
			list = append(list, due{at, tm.tick(at, now)})
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].at.Before(list[j].at) })
	out := make([]bot.Event, len(list))
	for i, d := range list {
		out[i] = d.ev
	}
	return out, nil
}

// NextDue is the first instant after `after` at which any run falls due
// (the entry-quiz check aside): `qunbot sim` moves its clock from one to the
// next so that everything due in between happens, in order.
func (e *Engine) NextDue(ctx context.Context, after time.Time) (time.Time, bool, error) {
	timers, err := e.timers(ctx)
	if err != nil {
		return time.Time{}, false, err
	}
	var first time.Time
	found := false
	for _, tm := range timers {
		if tm.Poll {
			continue
		}
		if at, ok := tm.next(after); ok && (!found || at.Before(first)) {
			first, found = at, true
		}
	}
	return first, found, nil
}

// SkippedRuns are the runs of one timer that fell due while nothing ran
// them and are too old to make up.
type SkippedRuns struct {
	ChatID, Job string
	PostID      int64 // the scheduled post's id (job "schedule")
	Count       int
	First, Last time.Time
}

// Skipped lists, per timer, the runs due in (since, now] that a pass at now
// will not make up: all but the latest, and the latest too when it is older
// than the catch-up. The scheduler logs them at start, since being its last
// pass before it stopped.
func (e *Engine) Skipped(ctx context.Context, since, now time.Time) ([]SkippedRuns, error) {
	timers, err := e.timers(ctx)
	if err != nil {
		return nil, err
	}
	var out []SkippedRuns
	for _, tm := range timers {
		if tm.Poll {
			continue
		}
		var runs []time.Time
		at, ok := tm.next(since)
		for i := 0; ok && !at.After(now) && i < maxSteps; i++ {
			runs = append(runs, at)
			at, ok = tm.next(at)
		}
		if n := len(runs); n > 0 && now.Sub(runs[n-1]) < tm.CatchUp {
			runs = runs[:n-1] // made up by the next pass
		}
		if len(runs) > 0 {
			out = append(out, SkippedRuns{ChatID: tm.ChatID, Job: tm.Job, PostID: tm.PostID, Count: len(runs),
				First: runs[0], Last: runs[len(runs)-1]})
		}
	}
	return out, nil
}

// runTick runs the job a tick names.
func runTick(ctx context.Context, t *Turn) error {
	if t.Event.Tick == nil || t.Settings == nil {
		return nil
	}
	if t.Event.Tick.Job == JobSchedule {
		return runScheduledPost(ctx, t)
	}
	for _, j := range scheduledJobs {
		if j.Job == t.Event.Tick.Job {
			return j.Handle(ctx, t)
		}
	}
	return nil
}
