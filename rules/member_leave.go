package rules

import (
	"context"
	"errors"
	"time"
)

// handleMemberLeave records each member's leaving (left_at; removed when the
// owner or an admin took them out) and takes back an inviter's credit for an
// early leave. A missed event queues a read-back of the member list.
func handleMemberLeave(ctx context.Context, t *Turn) error {
	missed, err := checkMemVersion(ctx, t)
	if err != nil {
		return err
	}
	removed := t.Event.Member.QuitScene == 1
	for _, u := range t.Event.Member.UserIDs {
		if err := memberLeft(ctx, t, u, t.Event.At, removed); err != nil {
			return err
		}
	}
	if missed {
		return fetchGroup(ctx, t, t.Now)
	}
	return nil
}

// memberLeft records that userID left the turn's group at at; staff hear at
// once of a member who left of their own accord (followup.go).
func memberLeft(ctx context.Context, t *Turn, userID string, at time.Time, removed bool) error {
	chatID := t.Event.ChatID
	m, err := t.Tx.Member(ctx, chatID, userID)
	if errors.Is(err, ErrNotFound) {
		m, err = Member{ChatID: chatID, UserID: userID}, nil
	}
	if err != nil {
		return err
	}
	wasIn := m.LeftAt == nil
	m.LeftAt, m.Removed = &at, removed
	if err := t.Tx.SaveMember(ctx, m); err != nil {
		return err
	}
	t.offBoards(userID)
	if wasIn && !removed {
		if err := t.leaveNote(ctx, m, at); err != nil {
			return err
		}
	}
	j, err := t.Tx.LatestJoin(ctx, chatID, userID)
	if errors.Is(err, ErrNotFound) || (err == nil && j.LeftAt != nil) {
		return nil
	}
	if err != nil {
		return err
	}
	j.LeftAt = &at
	if err := clawback(ctx, t, j, at); err != nil {
		return err
	}
	return t.Tx.SaveJoin(ctx, j)
}
