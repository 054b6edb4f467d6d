package rules

import (
	"fmt"
	"time"
)

// sayDate writes a day ("2026-11-24") the way replies do: 11月24日.
func sayDate(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return fmt.Sprintf(sayDay, int(d.Month()), d.Day())
}

// dayRange writes the days from..to: 11月24日–11月30日, or one day alone.
func dayRange(from, to string) string {
	if from == to {
		return sayDate(to)
	}
	return fmt.Sprintf(sayDayRange, sayDate(from), sayDate(to))
}

// weekName names a week's board by its days: 11月24日–11月30日.
func weekName(b Board) string {
	last := b.To.AddDate(0, 0, -1)
	return dayRange(b.From.Format(time.DateOnly), last.Format(time.DateOnly))
}

// sayMoment writes a moment in the configured zone: 12月2日 04:07.
func (t *Turn) sayMoment(at time.Time) string {
	at = at.In(t.e.loc)
	return fmt.Sprintf(sayClock, int(at.Month()), at.Day(), at.Format("15:04"))
}

// sayFullDate writes a moment's day with its year: 2026年11月21日.
func (t *Turn) sayFullDate(at time.Time) string {
	at = at.In(t.e.loc)
	return fmt.Sprintf(sayFullDay, at.Year(), int(at.Month()), at.Day())
}
