package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The report settings name wall-clock times in the configured zone: "21:00"
// every day, "Mon 09:00" every week, "1 09:00" every month. Each NextX gives
// the first such instant strictly after `after` (a time in that zone).

// NextDaily is the first "HH:MM" after `after`.
func NextDaily(spec string, after time.Time) (time.Time, bool) {
	h, m, ok := ParseClock(spec)
	if !ok {
		return time.Time{}, false
	}
	at := time.Date(after.Year(), after.Month(), after.Day(), h, m, 0, 0, after.Location())
	if !at.After(after) {
		at = time.Date(after.Year(), after.Month(), after.Day()+1, h, m, 0, 0, after.Location())
	}
	return at, true
}

// NextWeekly is the first "Mon 09:00" after `after`.
func NextWeekly(spec string, after time.Time) (time.Time, bool) {
	day, h, m, ok := ParseWeekly(spec)
	if !ok {
		return time.Time{}, false
	}
	ahead := (int(day) - int(after.Weekday()) + 7) % 7
	at := time.Date(after.Year(), after.Month(), after.Day()+ahead, h, m, 0, 0, after.Location())
	if !at.After(after) {
		at = time.Date(after.Year(), after.Month(), after.Day()+ahead+7, h, m, 0, 0, after.Location())
	}
	return at, true
}

// NextMonthly is the first "1 09:00" (day of month, time) after `after`. A
// day the month does not have (31 in November) is the month's last day.
func NextMonthly(spec string, after time.Time) (time.Time, bool) {
	day, h, m, ok := ParseMonthly(spec)
	if !ok {
		return time.Time{}, false
	}
	in := func(y int, mo time.Month) time.Time {
		last := time.Date(y, mo+1, 0, 0, 0, 0, 0, after.Location()).Day()
		return time.Date(y, mo, min(day, last), h, m, 0, 0, after.Location())
	}
	at := in(after.Year(), after.Month())
	if !at.After(after) {
		at = in(after.Year(), after.Month()+1)
	}
	return at, true
}

// ParseMonthly reads "1 09:00" (day of month 1–31, then HH:MM); "off" gives
// ok=false.
func ParseMonthly(v string) (day, hour, minute int, ok bool) {
	d, clock, found := strings.Cut(strings.TrimSpace(v), " ")
	n, err := strconv.Atoi(d)
	if !found || err != nil || n < 1 || n > 31 {
		return 0, 0, 0, false
	}
	hour, minute, ok = ParseClock(strings.TrimSpace(clock))
	return n, hour, minute, ok
}

func checkMonthly(v string) error {
	if _, _, _, ok := ParseMonthly(v); !ok && v != "off" {
		return fmt.Errorf(sayWantMonthly, quoted(v))
	}
	return nil
}
