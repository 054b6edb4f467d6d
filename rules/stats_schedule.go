package rules

import (
	"context"
	"fmt"
	"time"
)

// Scheduled reports: jobs of scheduledJobs, at the group's report.daily,
// report.weekly and report.monthly times ("off" turns one off). A run is a
// tick handled exactly once, so a report, and the health alert and weekly
// follow-up that go with it, go out once per group and period whatever the
// number of replicas and scheduler passes. Each report compares with the
// period before and judges the health indicators of its period (health.go).
const (
	JobDailyReport   = "report_daily"
	JobWeeklyReport  = "report_weekly"
	JobMonthlyReport = "report_monthly"
)

var (
	dailyReportJob = scheduledJob{Job: JobDailyReport, CatchUp: reportCatchUp, Handle: runDailyReport,
		Next: func(s *Settings, after time.Time) (time.Time, bool) { return NextDaily(s.Report.Daily, after) }}
	weeklyReportJob = scheduledJob{Job: JobWeeklyReport, CatchUp: reportCatchUp, Handle: runWeeklyReport,
		Next: func(s *Settings, after time.Time) (time.Time, bool) { return NextWeekly(s.Report.Weekly, after) }}
	monthlyReportJob = scheduledJob{Job: JobMonthlyReport, CatchUp: reportCatchUp, Handle: runMonthlyReport,
		Next: func(s *Settings, after time.Time) (time.Time, bool) { return NextMonthly(s.Report.Monthly, after) }}
)

// quiet reports whether nothing at all happened in the window: no report
// is posted for it (staff still get its alerts and follow-up).
func quiet(st Stats) bool { return st.Total == DayCounts{} }

// period is what one report covers: the window, the window before it, and
// what the report says and judges.
type period struct {
	title      string
	prevName   string // 前日, 上周, 上月
	last, prev string // the last day of the window and of the one before
	days, pDay int    // their lengths
	judged     []indicator
	shown      []indicator // shown with their change, not judged
	segments   bool
	top        int
}

// runDailyReport reports the day the run is named after (so a run caught
// up after midnight still reports it) against the day before.
func runDailyReport(ctx context.Context, t *Turn) error {
	day := t.Event.Tick.Run
	return t.runReport(ctx, period{
		title: fmt.Sprintf(sayDailyTitle, sayDate(day)), prevName: sayPrevDay,
		last: day, prev: addDays(day, -1), days: 1, pDay: 1, judged: []indicator{messagesPerMember}, top: 3,
	})
}

// runWeeklyReport recaps the 7 days before the run's date (Mon 09:00 recaps
// Monday to Sunday) against the 7 days before them, and sends staff the
// week's follow-up list.
func runWeeklyReport(ctx context.Context, t *Turn) error {
	last := addDays(t.Event.Tick.Run, -1)
	return t.runReport(ctx, period{
		title:    fmt.Sprintf(sayWeeklyTitle, dayRange(addDays(last, -6), last)),
		prevName: sayPrevWeek, last: last, prev: addDays(last, -7), days: 7, pDay: 7,
		judged: []indicator{messagesPerMember, speakerShare}, shown: []indicator{quitRate},
		segments: true, top: topActiveShown,
	})
}

// runMonthlyReport reviews the calendar month before the run's date against
// the month before it.
func runMonthlyReport(ctx context.Context, t *Turn) error {
	run, err := time.Parse(time.DateOnly, t.Event.Tick.Run)
	if err != nil {
		return fmt.Errorf("rules: monthly report %q: %w", t.Event.Tick.Run, err)
	}
	first := time.Date(run.Year(), run.Month()-1, 1, 0, 0, 0, 0, time.UTC)
	end := first.AddDate(0, 1, -1)
	prevEnd := first.AddDate(0, 0, -1)
	return t.runReport(ctx, period{
		title:    fmt.Sprintf(sayMonthlyTitle, int(first.Month()), dayRange(first.Format(time.DateOnly), end.Format(time.DateOnly))),
		prevName: sayPrevMonth, last: end.Format(time.DateOnly), prev: prevEnd.Format(time.DateOnly),
		days: end.Day(), pDay: prevEnd.Day(),
		judged: []indicator{messagesPerMember, quitRate}, shown: []indicator{speakerShare},
		segments: true, top: topActiveShown,
	})
}

// runReport posts the period's report the section 7.2 way (unless nothing
// happened in it) and sends staff, privately, the indicators it breached
// and, weekly, the follow-up list.
func (t *Turn) runReport(ctx context.Context, p period) error {
	chatID := t.Event.ChatID
	st, err := t.e.statsOver(ctx, t.Tx, chatID, p.last, p.days)
	if err != nil {
		return err
	}
	if p.segments {
		if err := t.e.addSegments(ctx, t.Tx, t.Settings, &st); err != nil {
			return err
		}
	}
	prev, err := t.e.statsOver(ctx, t.Tx, chatID, p.prev, p.pDay)
	if err != nil {
		return err
	}
	var public []string
	if !quiet(st) {
		top, err := t.Tx.TopSpeakers(ctx, chatID, st.Window, p.top)
		if err != nil {
			return err
		}
		public = t.reportLines(ctx, p, st, prev, top)
	}
	private := breachText(p, st, t.Settings.Health)
	if t.Event.Tick.Job == JobWeeklyReport {
		list, err := t.followupList(ctx, p.last)
		if err != nil {
			return err
		}
		private = joinParagraphs(private, list)
	}
	return t.report(ctx, public, private)
}
