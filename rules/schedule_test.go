package rules

import (
	"testing"
	"time"
)

func TestNextReportTimes(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, sh)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		spec  string
		next  func(string, time.Time) (time.Time, bool)
		after string
		want  string
	}{
		{"21:00", NextDaily, "2026-11-21 20:59", "2026-11-21 21:00"},
		{"21:00", NextDaily, "2026-11-21 21:00", "2026-11-22 21:00"}, // strictly after
		{"Mon 09:00", NextWeekly, "2026-11-23 08:59", "2026-11-23 09:00"},
		{"Mon 09:00", NextWeekly, "2026-11-23 09:00", "2026-11-30 09:00"},
		{"Sun 21:00", NextWeekly, "2026-11-23 10:00", "2026-11-29 21:00"},
		{"1 09:00", NextMonthly, "2026-11-21 10:00", "2026-12-01 09:00"},
		{"1 09:00", NextMonthly, "2026-12-31 23:59", "2027-01-01 09:00"},
		{"31 09:00", NextMonthly, "2026-11-02 10:00", "2026-11-30 09:00"}, // November has no 31st
		{"31 09:00", NextMonthly, "2026-11-30 09:00", "2026-12-31 09:00"},
		{"15 20:30", NextMonthly, "2026-11-15 20:29", "2026-11-15 20:30"},
	}
	for _, tt := range tests {
		got, ok := tt.next(tt.spec, at(tt.after))
		if !ok || !got.Equal(at(tt.want)) {
			t.Errorf("%q after %s = %v %v, want %s", tt.spec, tt.after, got, ok, tt.want)
		}
	}
	for _, next := range []func(string, time.Time) (time.Time, bool){NextDaily, NextWeekly, NextMonthly} {
		if _, ok := next("off", at("2026-11-23 09:00")); ok {
			t.Error("off falls due")
		}
	}
	for _, bad := range []string{"0 09:00", "32 09:00", "1 25:00", "1", "Mon 09:00"} {
		if err := checkMonthly(bad); err == nil {
			t.Errorf("checkMonthly(%q) accepted it", bad)
		}
	}
}

func TestTimerLatestAndSkipped(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	sched, err := ParseCron("0 20 * * *")
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 11, 18, 12, 0, 0, 0, sh)
	tm := timer{ChatID: "G1", Job: JobSchedule, CatchUp: postCatchUp, Since: created,
		Next: func(after time.Time) (time.Time, bool) { return nextCron(sched, after.In(sh)) },
		Run:  func(at time.Time) string { return postRun(7, at) }}
	day := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, sh) }
	tests := []struct {
		now  time.Time
		want time.Time // zero: nothing due
	}{
		{day(21, 19, 59), time.Time{}},
		{day(21, 20, 0), day(21, 20, 0)},
		{day(21, 20, 59), day(21, 20, 0)},       // made up: missed by under an hour
		{day(21, 21, 0), time.Time{}},           // an hour late: skipped
		{day(18, 20, 30), day(18, 20, 0)},       // the first run after the post was added
		{created.Add(time.Minute), time.Time{}}, // nothing before the post existed
	}
	for _, tt := range tests {
		got, ok := tm.latest(tt.now)
		if ok != !tt.want.IsZero() || (ok && !got.Equal(tt.want)) {
			t.Errorf("latest at %v = %v %v, want %v", tt.now, got, ok, tt.want)
		}
	}
	if ev := tm.tick(day(21, 20, 0), day(21, 20, 5)); ev.ID != "tick:G1:schedule:7@2026-11-21T20:00+08:00" {
		t.Errorf("tick id = %q", ev.ID)
	}
	if next, ok := tm.next(day(10, 0, 0)); !ok || !next.Equal(day(18, 20, 0)) {
		t.Errorf("next before the post existed = %v, want its first run", next)
	}
}

func TestParseCron(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	fri := time.Date(2026, 11, 20, 12, 0, 0, 0, sh) // a Friday
	good := map[string]time.Time{
		"0 20 * * 5":     time.Date(2026, 11, 20, 20, 0, 0, 0, sh),
		"30 19-21 * * *": time.Date(2026, 11, 20, 19, 30, 0, 0, sh),
		"0 9 1 * *":      time.Date(2026, 12, 1, 9, 0, 0, 0, sh),
		"*/15 * * * *":   time.Date(2026, 11, 20, 12, 15, 0, 0, sh),
	}
	for spec, want := range good {
		s, err := ParseCron(spec)
		if err != nil {
			t.Errorf("ParseCron(%q): %v", spec, err)
			continue
		}
		if got, ok := nextCron(s, fri); !ok || !got.Equal(want) {
			t.Errorf("%q after %v = %v, want %v", spec, fri, got, want)
		}
	}
	for _, bad := range []string{"", "0 20 * *", "0 0 20 * * 5", "@daily", "@every 1s", "TZ=UTC 0 20 * * 5",
		"TZ=UTC", "CRON_TZ=Asia/Tokyo 0 9 * * *", "61 20 * * *", "0 20 * * 8", "a b c d e"} {
		if _, err := ParseCron(bad); err == nil {
			t.Errorf("ParseCron(%q) accepted it", bad)
		}
	}
	never, err := ParseCron("0 0 30 2 *")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := nextCron(never, fri); ok {
		t.Error("February 30th falls due")
	}
}

func TestSplitCron(t *testing.T) {
	tests := []struct{ in, spec, text string }{
		{`"0 20 * * 5" 本周话题：{group}`, "0 20 * * 5", "本周话题：{group}"},
		{"“0 20 * * 5” 周五见", "0 20 * * 5", "周五见"},
		{"0 20 * * 5 周五 见", "0 20 * * 5", "周五 见"},
	}
	for _, tt := range tests {
		spec, text, ok := splitCron(tt.in)
		if !ok || spec != tt.spec || text != tt.text {
			t.Errorf("splitCron(%q) = %q %q %v, want %q %q", tt.in, spec, text, ok, tt.spec, tt.text)
		}
	}
	for _, bad := range []string{`"0 20 * * 5`, "0 20 * *"} {
		if _, _, ok := splitCron(bad); ok {
			t.Errorf("splitCron(%q) accepted it", bad)
		}
	}
}
