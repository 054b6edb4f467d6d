package rules

import (
	"context"
	"time"
)

// A member who left is on no leaderboard until they come back; their ledger
// stays. Rebuilds leave them out (EarnedBy), a leave takes them off the live
// boards, and a return marks those boards for a rebuild that counts them
// again. Both run once the turn is committed; a failure is logged, and the
// boards' periodic rebuild (at most hours later) repairs it.

// liveBoards are the boards still read at local: the current ones and last
// week's (its 积分王 is posted on Monday).
func liveBoards(local time.Time) []Board {
	return append(BoardsAt(local), BoardAt(PeriodWeek, local.AddDate(0, 0, -7)))
}

// offBoards takes userID off the group's live boards after the turn.
func (t *Turn) offBoards(userID string) {
	chatID, boards := t.Event.ChatID, liveBoards(t.Local())
	t.AfterCommit(func(ctx context.Context) {
		if err := t.e.counters.DropFromBoards(ctx, chatID, userID, boards); err != nil {
			t.e.log.Warn("leaver left on the leaderboards", "chat_id", chatID, "user_id", userID, "err", err)
		}
	})
}

// backOnBoards has the group's live boards rebuilt after the turn, counting
// a member who came back.
func (t *Turn) backOnBoards() {
	chatID, boards := t.Event.ChatID, liveBoards(t.Local())
	t.AfterCommit(func(ctx context.Context) {
		if err := t.e.counters.InvalidateBoards(ctx, chatID, boards); err != nil {
			t.e.log.Warn("leaderboards not rebuilt for a returning member", "chat_id", chatID, "err", err)
		}
	})
}
