package rules

import (
	"context"
	"fmt"
	"time"
)

// Scheduled reports: jobs of scheduledJobs, at the group's report.daily and
// report.weekly times ("off" turns one off). A run is a tick handled exactly
// once, so a report goes out once per group and day (or week) whatever the
// number of replicas and scheduler passes.
const (
	JobDailyReport  = "report_daily"
	JobWeeklyReport = "report_weekly"
)

var (
	dailyReportJob = scheduledJob{JobDailyReport,
		func(s *Settings, local time.Time) (string, bool) { return DailyDue(s.Report.Daily, local) }, runDailyReport}
	weeklyReportJob = scheduledJob{JobWeeklyReport,
		func(s *Settings, local time.Time) (string, bool) { return WeeklyDue(s.Report.Weekly, local) }, runWeeklyReport}
)

// quiet reports whether nothing at all happened in the window: no report
// is posted for it.
func quiet(st Stats) bool { return st.Total == DayCounts{} }

// runDailyReport posts the day's counts and most active members. The run is
// the day reported on, so a run caught up after midnight still reports it.
func runDailyReport(ctx context.Context, t *Turn) error {
	if t.Settings == nil || t.Event.Tick == nil {
		return nil
	}
	day := t.Event.Tick.Run
	st, err := t.e.statsOver(ctx, t.Tx, t.Event.ChatID, day, 1)
	if err != nil || quiet(st) {
		return err
	}
	top, err := t.Tx.TopSpeakers(ctx, t.Event.ChatID, st.Window, 3)
	if err != nil {
		return err
	}
	return t.report(ctx, t.statsLines(ctx, fmt.Sprintf("📊 今日群活跃（%s）", shortDay(day)), st, top), "")
}

// runWeeklyReport recaps the 7 days before the run's date (Mon 09:00 recaps
// Monday to Sunday): counts, ratios, segments and the most active members
// for everyone, the silent members' names for staff only.
func runWeeklyReport(ctx context.Context, t *Turn) error {
	if t.Settings == nil || t.Event.Tick == nil {
		return nil
	}
	days, err := windowDays(t.Event.Tick.Run, 2)
	if err != nil {
		return err
	}
	st, err := t.e.statsOver(ctx, t.Tx, t.Event.ChatID, days[0], 7)
	if err != nil || quiet(st) {
		return err
	}
	top, err := t.Tx.TopSpeakers(ctx, t.Event.ChatID, st.Window, topActiveShown)
	if err != nil {
		return err
	}
	title := fmt.Sprintf("📊 上周回顾（%s 至 %s）", shortDay(st.From), shortDay(st.To))
	private, err := t.silentList(ctx, st, "上周")
	if err != nil {
		return err
	}
	return t.report(ctx, t.statsLines(ctx, title, st, top), private)
}
