package rules

import (
	"fmt"
	"time"
)

// Leaderboard periods, as /top and the admin API name them.
const (
	PeriodDay   = "day"
	PeriodWeek  = "week"
	PeriodMonth = "month"
	PeriodAll   = "all"
)

// Board is one leaderboard: a period and which one of it ("2026-W47").
// From and To bound the ledger rows it ranks (To exclusive); the all-time
// board has zero bounds.
type Board struct {
	Period string
	Key    string
	From   time.Time
	To     time.Time
}

// SpendKinds are the ledger kinds that spend points, or give spent points
// back (a refund). They move a balance but never a rank or a level: a period
// ranks the points earned in it.
var SpendKinds = []string{LedgerRedeem, LedgerMakeup, LedgerRefund}

// CountsTowardRank reports whether rows of kind move a leaderboard.
func CountsTowardRank(kind string) bool {
	for _, k := range SpendKinds {
		if k == kind {
			return false
		}
	}
	return true
}

// ParsePeriod reads a /top or API period; "" is the week. Chinese words work too.
func ParsePeriod(s string) (string, bool) {
	switch s {
	case "", PeriodWeek, "周", "本周":
		return PeriodWeek, true
	case PeriodDay, "日", "今日", "今天":
		return PeriodDay, true
	case PeriodMonth, "月", "本月":
		return PeriodMonth, true
	case PeriodAll, "总", "总榜", "全部":
		return PeriodAll, true
	}
	return "", false
}

// BoardAt is the board of period that contains local (a time in the
// configured zone; day, week and month boundaries are local midnights, weeks
// start on Monday).
func BoardAt(period string, local time.Time) Board {
	y, m, d := local.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, local.Location())
	switch period {
	case PeriodDay:
		return Board{Period: period, Key: day.Format(time.DateOnly), From: day, To: day.AddDate(0, 0, 1)}
	case PeriodWeek:
		start := day.AddDate(0, 0, -(int(day.Weekday())+6)%7)
		yy, ww := start.ISOWeek()
		return Board{Period: period, Key: fmt.Sprintf("%04d-W%02d", yy, ww), From: start, To: start.AddDate(0, 0, 7)}
	case PeriodMonth:
		start := time.Date(y, m, 1, 0, 0, 0, 0, local.Location())
		return Board{Period: period, Key: start.Format("2006-01"), From: start, To: start.AddDate(0, 1, 0)}
	}
	return Board{Period: PeriodAll, Key: PeriodAll}
}

// BoardsAt are the boards a row written at local moves: one of each period.
func BoardsAt(local time.Time) []Board {
	return []Board{BoardAt(PeriodDay, local), BoardAt(PeriodWeek, local), BoardAt(PeriodMonth, local), BoardAt(PeriodAll, local)}
}

// Contains reports whether a row written at t belongs on the board.
func (b Board) Contains(t time.Time) bool {
	if b.Period == PeriodAll {
		return true
	}
	return !t.Before(b.From) && t.Before(b.To)
}

// TTL is how long Redis keeps the board after its period ends; the all-time
// board never expires.
func (b Board) TTL(now time.Time) time.Duration {
	if b.Period == PeriodAll {
		return 0
	}
	keep := b.To.Sub(now) + 35*24*time.Hour
	if keep < time.Hour {
		keep = time.Hour
	}
	return keep
}

// periodName is how a board is titled in chat.
func periodName(b Board) string {
	switch b.Period {
	case PeriodDay:
		return sayPeriodDay
	case PeriodWeek:
		return sayPeriodWeek
	case PeriodMonth:
		return sayPeriodMonth
	}
	return sayPeriodAll
}
