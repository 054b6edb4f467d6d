package rules

import "context"

// messageSlots is how many messages a day earn points: message.daily_cap
// counts points, so with 2 points a message and a cap of 20, ten messages earn.
func messageSlots(m MessageSettings) int {
	if m.Points <= 0 {
		return 0
	}
	return m.DailyCap / m.Points
}

// runMessagePoints is the points stage: a member's message earns
// message.points at most once per message.cooldown and up to
// message.daily_cap a day. Muted members and admins' /in messages earn nothing.
func runMessagePoints(ctx context.Context, t *Turn) error {
	ev := t.Event
	if ev.ChatID == "" || t.Direct || t.Settings == nil || ev.From == "" {
		return nil
	}
	ms := t.Settings.Message
	slots := messageSlots(ms)
	if slots <= 0 {
		return nil
	}
	m, err := t.Tx.Member(ctx, ev.ChatID, ev.From)
	if err != nil {
		return err
	}
	if m.MutedUntil != nil && t.Now.Before(*m.MutedUntil) {
		return nil
	}
	granted, err := t.Tx.TakeMessageSlot(ctx, MessageSlot{
		ChatID: ev.ChatID, UserID: ev.From, Day: t.Day(), At: t.Now, Cooldown: ms.Cooldown, DailyCap: slots,
	})
	if err != nil || !granted {
		return err
	}
	_, err = t.Tx.AddEntry(ctx, LedgerEntry{
		ChatID: ev.ChatID, UserID: ev.From, Delta: ms.Points, Kind: LedgerMessage,
		Reason: sayMessageReason, Actor: ev.From, IdemKey: ev.ID + ":message",
	})
	return err
}
