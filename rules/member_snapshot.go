package rules

import (
	"context"
	"errors"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// reconcileGrace keeps a snapshot from undoing member events newer than it:
// a member who joined or left this recently is left as the events say.
const reconcileGrace = time.Minute

// handleGroupSnapshot takes a groupchat/get read-back: it records names and
// inviters, reconciles the member list with it, credits inviters of pending
// joins and welcomes the joins waiting for it in one message. A nil Snapshot
// (the read-back failed for good) still welcomes.
func handleGroupSnapshot(ctx context.Context, t *Turn) error {
	snap := t.Event.Snapshot
	byUser := map[string]bot.GroupMember{}
	if snap != nil {
		for _, m := range snap.Members {
			byUser[m.UserID] = m
		}
		if err := reconcile(ctx, t, snap, byUser); err != nil {
			return err
		}
	}
	open, err := t.Tx.OpenJoins(ctx, t.Event.ChatID)
	if err != nil {
		return err
	}
	for i := range open {
		if err := learnInviter(ctx, t, &open[i], byUser, snap != nil); err != nil {
			return err
		}
	}
	return welcome(ctx, t, open)
}

// learnInviter records a pending join's inviter from the snapshot and
// credits them.
func learnInviter(ctx context.Context, t *Turn, j *Join, byUser map[string]bot.GroupMember, read bool) error {
	if j.InviterKnown || !read {
		return nil
	}
	j.InviterKnown = true
	gm, ok := byUser[j.UserID]
	if ok && gm.Invitor != "" {
		j.Inviter = gm.Invitor
		if err := setInviter(ctx, t, j.UserID, gm.Invitor); err != nil {
			return err
		}
		if err := creditInviter(ctx, t, j); err != nil {
			return err
		}
	}
	return t.Tx.SaveJoin(ctx, *j)
}

func setInviter(ctx context.Context, t *Turn, userID, inviter string) error {
	m, err := t.Tx.Member(ctx, t.Event.ChatID, userID)
	if err != nil || m.Inviter == inviter {
		return err
	}
	m.Inviter = inviter
	return t.Tx.SaveMember(ctx, m)
}

// reconcile makes the stored member list agree with the snapshot: names are
// recorded, members missing from the store join (as of WeCom's join time) and
// stored members missing from the snapshot leave.
func reconcile(ctx context.Context, t *Turn, snap *bot.GroupInfo, byUser map[string]bot.GroupMember) error {
	present, err := t.Tx.PresentMembers(ctx, t.Event.ChatID)
	if err != nil {
		return err
	}
	cutoff := t.Event.At.Add(-reconcileGrace)
	for _, m := range present {
		_, in := byUser[m.UserID]
		if in || (m.JoinedAt != nil && m.JoinedAt.After(cutoff)) {
			continue
		}
		if err := memberLeft(ctx, t, m.UserID, t.Now, false); err != nil {
			return err
		}
	}
	for _, gm := range snap.Members {
		if err := reconcileMember(ctx, t, gm, cutoff); err != nil {
			return err
		}
	}
	return nil
}

func reconcileMember(ctx context.Context, t *Turn, gm bot.GroupMember, cutoff time.Time) error {
	if gm.Name != "" {
		if err := t.Tx.SetName(ctx, gm.UserID, gm.Name, t.Now); err != nil {
			return err
		}
	}
	m, err := t.Tx.Member(ctx, t.Event.ChatID, gm.UserID)
	switch {
	case errors.Is(err, ErrNotFound):
		m = Member{ChatID: t.Event.ChatID, UserID: gm.UserID}
	case err != nil:
		return err
	case m.LeftAt == nil || m.LeftAt.After(cutoff):
		return nil // known present, or left after the snapshot was taken
	}
	at := gm.JoinTime
	if at.IsZero() {
		at = t.Now
	}
	if m.LeftAt != nil {
		t.backOnBoards()
	}
	setJoined(&m, t.Settings, at, gm.JoinScene, gm.Invitor)
	return t.Tx.SaveMember(ctx, m)
}
