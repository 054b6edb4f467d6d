package store

import "testing"

func TestActivityBits(t *testing.T) {
	var a activity
	days := []string{"2026-01-01", "2026-01-03", "2026-01-02", "2026-02-20", "2026-03-10", "2026-05-10", "2026-05-11"}
	for _, d := range days {
		a = a.mark(d)
	}
	tests := []struct {
		from, to string
		want     int
	}{
		{"2026-05-11", "2026-05-11", 1},
		{"2026-05-10", "2026-05-11", 2},
		{"2026-03-01", "2026-05-09", 1}, // 2026-03-10 is bit 62
		{"2026-02-01", "2026-05-09", 2}, // and 2026-02-20 bit 80, in the second word
		{"2026-02-11", "2026-05-11", 4}, // a 90-day window
		{"2026-01-01", "2026-01-03", 0}, // 128 to 130 days back: aged out
		{"2026-05-12", "2026-05-20", 0}, // after the last day
		{"2026-04-01", "2026-04-30", 0},
	}
	for _, tt := range tests {
		if got := a.daysIn(tt.from, tt.to); got != tt.want {
			t.Errorf("daysIn(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
	b := activity{}.mark("2026-05-11").mark("2026-05-09") // an earlier day after a later one
	if got := b.daysIn("2026-05-01", "2026-05-31"); got != 2 || b.last != "2026-05-11" {
		t.Errorf("out-of-order mark: %d days, last %s; want 2, 2026-05-11", got, b.last)
	}
	if got := (activity{}).daysIn("2026-05-01", "2026-05-31"); got != 0 {
		t.Errorf("no activity: %d days", got)
	}
}

func TestActivityLastOn(t *testing.T) {
	var a activity
	for _, d := range []string{"2026-01-01", "2026-02-20", "2026-03-10", "2026-05-10", "2026-05-11"} {
		a = a.mark(d)
	}
	for day, want := range map[string]string{
		"2026-06-01": "2026-05-11", // after the last day: the last day
		"2026-05-11": "2026-05-11",
		"2026-05-10": "2026-05-10",
		"2026-05-09": "2026-03-10", // bit 62
		"2026-03-09": "2026-02-20", // bit 80, the second word
		"2026-02-19": "",           // 2026-01-01 is 130 days before the last: aged out
		"bad":        "",
	} {
		if got := a.lastOn(day); got != want {
			t.Errorf("lastOn(%s) = %q, want %q", day, got, want)
		}
	}
	if got := (activity{}).lastOn("2026-05-01"); got != "" {
		t.Errorf("no activity: %q", got)
	}
}
