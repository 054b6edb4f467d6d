package rules

import (
	"context"
	"errors"
	"fmt"
	"time"
)

var checkinCommand = &Command{
	Name: "checkin", Aliases: []string{"签到", "打卡", "签个到"}, Usage: "签到 或 /checkin",
	Summary: sayAboutCheckin, Run: runCheckin,
}

// checkinPoints is what day n of a streak earns: the base points plus
// streak_bonus per consecutive day before it, capped at streak_bonus_max.
func checkinPoints(c CheckinSettings, streak int) int {
	return c.Points + min(max(streak-1, 0)*c.StreakBonus, c.StreakBonusMax)
}

// streakOn is the streak of a check-in on day given the latest earlier one.
func streakOn(day string, last Checkin, found bool) int {
	if found && last.Day == prevDay(day) {
		return last.Streak + 1
	}
	return 1
}

// prevDay is the calendar day before a YYYY-MM-DD day.
func prevDay(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return d.AddDate(0, 0, -1).Format(time.DateOnly)
}

// lastCheckin wraps LastCheckin's not-found into found=false.
func lastCheckin(ctx context.Context, t *Turn, day string) (Checkin, bool, error) {
	c, err := t.Tx.LastCheckin(ctx, t.Event.ChatID, t.Event.From, day)
	if errors.Is(err, ErrNotFound) {
		return Checkin{}, false, nil
	}
	return c, err == nil, err
}

func runCheckin(ctx context.Context, t *Turn, _ Args) (string, error) {
	chat, user, today := t.Event.ChatID, t.Event.From, t.Day()
	last, found, err := lastCheckin(ctx, t, today)
	if err != nil {
		return "", err
	}
	if found && last.Day == today {
		return alreadyCheckedIn(ctx, t, last.Streak)
	}
	streak := streakOn(today, last, found)
	points := checkinPoints(t.Settings.Checkin, streak)
	added, err := t.Tx.AddCheckin(ctx, Checkin{ChatID: chat, UserID: user, Day: today, Streak: streak, Points: points, At: t.Now})
	if err != nil || !added {
		if err != nil {
			return "", err
		}
		return alreadyCheckedIn(ctx, t, streak) // a racing delivery of another message won
	}
	_, err = t.Tx.AddEntry(ctx, LedgerEntry{
		ChatID: chat, UserID: user, Delta: points, Kind: LedgerCheckin, Actor: user,
		Reason: fmt.Sprintf(sayCheckinReason, streak), IdemKey: "checkin:" + chat + ":" + user + ":" + today,
	})
	if err != nil {
		return "", err
	}
	balance, err := t.Tx.Balance(ctx, chat, user)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(sayCheckinDone, points, streak, balance), nil
}

func alreadyCheckedIn(ctx context.Context, t *Turn, streak int) (string, error) {
	balance, err := t.Tx.Balance(ctx, t.Event.ChatID, t.Event.From)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(sayCheckinAgain, streak, balance), nil
}
