package rules

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

var pointsCommand = &Command{
	Name: "points", Aliases: []string{"积分", "查积分", "我的积分"}, Usage: "积分 或 /points",
	Summary: sayAboutPoints, Run: runPoints,
}

const givePointsUsage = sayUseGivePoints

var givePointsCommand = &Command{
	Name: "givepoints", Aliases: []string{"加积分"}, Usage: givePointsUsage,
	Summary: sayAboutGivepoints, Role: RoleAdmin, Run: runGivePoints,
}

// maxGrant bounds one manual entry so a typo cannot mint millions.
const maxGrant = 100000

func runPoints(ctx context.Context, t *Turn, _ Args) (string, error) {
	chat, user := t.Event.ChatID, t.Event.From
	balance, err := t.Tx.Balance(ctx, chat, user)
	if err != nil {
		return "", err
	}
	earned, err := t.Tx.EarnedTotal(ctx, chat, user)
	if err != nil {
		return "", err
	}
	lines := []string{
		fmt.Sprintf(sayPointsOf, t.DisplayName(ctx, user), balance),
		fmt.Sprintf(sayPointsTitle, titleLine(t.Settings, earned)),
	}
	rank, _, err := t.e.rankOf(ctx, t.Tx, chat, user, BoardAt(PeriodAll, t.Local()))
	if err != nil {
		return "", err
	}
	if rank > 0 {
		lines = append(lines, fmt.Sprintf(sayPointsRank, rank))
	} else {
		lines = append(lines, sayPointsUnranked)
	}
	return strings.Join(lines, "\n"), nil
}

// titleLine names the title for earned points and the distance to the next.
func titleLine(s *Settings, earned int) string {
	i, title := s.LevelFor(earned)
	if i+1 < len(s.Levels) {
		next := s.Levels[i+1]
		return fmt.Sprintf(sayTitleNext, title, earned, next.Title, next.Min-earned)
	}
	return fmt.Sprintf(sayTitleTop, title, earned)
}

// parseGrant reads "+N" or "-N" (a bare N is a credit).
func parseGrant(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n == 0 || n > maxGrant || n < -maxGrant {
		return 0, false
	}
	return n, true
}

func runGivePoints(ctx context.Context, t *Turn, a Args) (string, error) {
	if len(a.Fields) < 2 {
		return "", Userf(sayUsage, givePointsUsage)
	}
	delta, ok := parseGrant(a.Get(1))
	if !ok {
		return "", Userf(sayGrantForm, maxGrant)
	}
	reason := a.Rest(2)
	if err := checkLen(sayFieldReason, reason, MaxReasonLen); err != nil {
		return "", err
	}
	user, err := t.ResolveUser(ctx, a.Get(0))
	if err != nil {
		return "", err
	}
	if _, err := t.member(ctx, user); err != nil { // their ledger needs a member row
		return "", err
	}
	chat := t.Event.ChatID
	balance, err := t.Tx.LockPoints(ctx, chat, user)
	if err != nil {
		return "", err
	}
	name := t.DisplayName(ctx, user)
	if balance+delta < 0 {
		return "", Userf(sayGrantNegative, name, balance)
	}
	if reason == "" {
		reason = sayGrantReason
	}
	_, err = t.Tx.AddEntry(ctx, LedgerEntry{
		ChatID: chat, UserID: user, Delta: delta, Kind: LedgerGrant,
		Reason: reason, Actor: t.Event.From, IdemKey: t.Event.ID + ":grant",
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(sayGranted, name, delta, reason, balance+delta), nil
}
