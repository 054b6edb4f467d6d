package rules

import (
	"context"
	"fmt"
	"time"
)

// inviteActor is the ledger actor of automatic invite credits.
const inviteActor = "qunbot"

// creditInviter credits j's inviter with invite.points, once per join: the
// idempotency key is the join event and the invitee.
func creditInviter(ctx context.Context, t *Turn, j *Join) error {
	pts := t.Settings.Invite.Points
	if j.Inviter == "" || j.Inviter == j.UserID || pts <= 0 || j.Credited != 0 {
		return nil
	}
	_, err := t.Tx.AddEntry(ctx, LedgerEntry{
		ChatID: j.ChatID, UserID: j.Inviter, Delta: pts, Kind: LedgerInvite,
		Reason: fmt.Sprintf(sayInviteReason, t.DisplayName(ctx, j.UserID)), Source: j.EventID, Actor: inviteActor,
		IdemKey: j.EventID + ":invite:" + j.UserID, At: t.Now,
	})
	if err != nil {
		return err
	}
	j.Credited = pts
	return nil
}

// clawback takes back the credit of a join whose member left within
// invite.clawback_within, once per join.
func clawback(ctx context.Context, t *Turn, j Join, leftAt time.Time) error {
	if j.Credited <= 0 || leftAt.Sub(j.JoinedAt) >= t.Settings.Invite.ClawbackWithin {
		return nil
	}
	_, err := t.Tx.AddEntry(ctx, LedgerEntry{
		ChatID: j.ChatID, UserID: j.Inviter, Delta: -j.Credited, Kind: LedgerClawback,
		Reason: fmt.Sprintf(sayClawbackReason, t.DisplayName(ctx, j.UserID)), Source: t.Event.ID,
		Actor: inviteActor, IdemKey: j.EventID + ":clawback:" + j.UserID, At: t.Now,
	})
	return err
}
