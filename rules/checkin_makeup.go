package rules

import (
	"context"
	"errors"
	"fmt"
)

var makeupCommand = &Command{
	Name: "makeup", Aliases: []string{"补签"}, Usage: "补签 或 /makeup",
	Summary: sayAboutMakeup, Run: runMakeup,
}

var errMadeUpThisWeek = &UserError{Msg: sayMakeupWeekly}

// runMakeup makes up yesterday's missed check-in: once a week (the ledger's
// unique key "makeup:<group>:<member>:<week>" decides), for checkin.makeup_cost
// points, joining the runs before and after it into one streak.
func runMakeup(ctx context.Context, t *Turn, _ Args) (string, error) {
	chat, user, today := t.Event.ChatID, t.Event.From, t.Day()
	yesterday := prevDay(today)
	last, found, err := lastCheckin(ctx, t, yesterday)
	if err != nil {
		return "", err
	}
	if found && last.Day == yesterday {
		return "", Userf(sayMakeupNotNeeded)
	}
	week := BoardAt(PeriodWeek, t.Local()).Key
	key := "makeup:" + chat + ":" + user + ":" + week
	if done, err := t.Tx.HasEntry(ctx, key); err != nil || done {
		if err != nil {
			return "", err
		}
		return "", errMadeUpThisWeek
	}
	cost := t.Settings.Checkin.MakeupCost
	balance, err := t.Tx.LockPoints(ctx, chat, user)
	if err != nil {
		return "", err
	}
	if balance < cost {
		return "", Userf(sayMakeupPoor, cost, balance)
	}
	added, err := t.Tx.AddEntry(ctx, LedgerEntry{
		ChatID: chat, UserID: user, Delta: -cost, Kind: LedgerMakeup, Actor: user,
		Reason: fmt.Sprintf(sayMakeupReason, yesterday), IdemKey: key,
	})
	if err != nil {
		return "", err
	}
	if !added { // a racing 补签 of the same week won
		return "", errMadeUpThisWeek
	}
	streak, err := fillYesterday(ctx, t, yesterday, streakOn(yesterday, last, found))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(sayMakeupDone, sayDate(yesterday), cost, streak, balance-cost), nil
}

// fillYesterday records the made-up day and, when today is already checked
// in, extends today's streak over it. It returns the streak as it now stands.
func fillYesterday(ctx context.Context, t *Turn, yesterday string, streak int) (int, error) {
	chat, user := t.Event.ChatID, t.Event.From
	added, err := t.Tx.AddCheckin(ctx, Checkin{ChatID: chat, UserID: user, Day: yesterday, Streak: streak, Makeup: true, At: t.Now})
	if err != nil {
		return 0, err
	}
	if !added {
		return 0, errors.New("rules: makeup raced a check-in of the same day")
	}
	today, found, err := lastCheckin(ctx, t, t.Day())
	if err != nil || !found || today.Day != t.Day() {
		return streak, err
	}
	if err := t.Tx.SetCheckinStreak(ctx, chat, user, today.Day, streak+1); err != nil {
		return 0, err
	}
	return streak + 1, nil
}
