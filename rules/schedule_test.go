package rules

import (
	"testing"
	"time"
)

func TestWeeklyAndDailyDue(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, sh)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		spec, now, run string
		due            bool
		daily          bool
	}{
		{"Mon 09:00", "2026-11-23 08:59", "2026-11-16", false, false}, // Monday before nine: last week's run, long past
		{"Mon 09:00", "2026-11-23 09:00", "2026-11-23", true, false},
		{"Mon 09:00", "2026-11-23 14:30", "2026-11-23", true, false}, // caught up after a restart
		{"Mon 09:00", "2026-11-26 10:00", "2026-11-23", false, false},
		{"Sun 21:00", "2026-11-22 21:05", "2026-11-22", true, false},
		{"21:00", "2026-11-21 21:00", "2026-11-21", true, true},
		{"21:00", "2026-11-22 01:00", "2026-11-21", true, true},
		{"21:00", "2026-11-22 20:00", "2026-11-21", false, true},
	}
	for _, tt := range tests {
		due := WeeklyDue
		if tt.daily {
			due = DailyDue
		}
		run, ok := due(tt.spec, at(tt.now))
		if run != tt.run || ok != tt.due {
			t.Errorf("%s at %s = %s %v, want %s %v", tt.spec, tt.now, run, ok, tt.run, tt.due)
		}
	}
	if _, ok := WeeklyDue("off", at("2026-11-23 09:00")); ok {
		t.Error("off is due")
	}
}
