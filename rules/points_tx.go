package rules

import (
	"context"
	"fmt"
)

// pointsTx is the Tx every turn works through. Its AddEntry is the one way a
// turn writes points, so every row, whoever writes it (check-in, message
// points, invite credit and clawback, /givepoints, the shop), moves the
// leaderboards once the turn is committed and congratulates a level-up.
type pointsTx struct {
	Tx
	t *Turn
}

// withPoints wraps the turn's Tx; the engine calls it once per turn.
func withPoints(t *Turn) Tx {
	if p, ok := t.Tx.(pointsTx); ok {
		return p
	}
	return pointsTx{Tx: t.Tx, t: t}
}

// AddEntry writes the row (time, source and actor defaulted from the turn)
// and, when it was added, records the leaderboard increment (applied once
// the turn is committed) and checks for a new level.
func (p pointsTx) AddEntry(ctx context.Context, e LedgerEntry) (bool, error) {
	t := p.t
	if e.At.IsZero() {
		e.At = t.Now
	}
	if e.Source == "" {
		e.Source = t.Event.ID
	}
	if e.Actor == "" {
		e.Actor = "qunbot"
	}
	ranked := CountsTowardRank(e.Kind) && e.Delta != 0
	before := 0
	if ranked {
		var err error
		if before, err = p.Tx.EarnedTotal(ctx, e.ChatID, e.UserID); err != nil {
			return false, err
		}
		if e.Delta > 0 && before > MaxPoints-e.Delta {
			return false, Userf(sayPointsCapped, MaxPoints)
		}
	}
	added, err := p.Tx.AddEntry(ctx, e)
	if err != nil || !added || !ranked {
		return added, err
	}
	t.boards = append(t.boards, BoardDelta{ChatID: e.ChatID, UserID: e.UserID, Delta: e.Delta, Boards: BoardsAt(e.At.In(t.e.loc))})
	return true, t.congratulate(ctx, e, before)
}

// congratulate tells a member who reached a level for the first time. The
// member who spoke reads it in the reply; anyone else (an inviter) gets a
// group post. A level lost (a clawback) and reached again is not
// congratulated twice: the ledger's peak says it was reached before.
func (t *Turn) congratulate(ctx context.Context, e LedgerEntry, before int) error {
	if t.Settings == nil || e.ChatID != t.Event.ChatID || e.Delta <= 0 {
		return nil
	}
	from, _ := t.Settings.LevelFor(before)
	to, title := t.Settings.LevelFor(before + e.Delta)
	if to <= from {
		return nil
	}
	peak, err := t.Tx.PeakEarned(ctx, e.ChatID, e.UserID, e.IdemKey)
	if err != nil {
		return err
	}
	if reached, _ := t.Settings.LevelFor(peak); reached >= to {
		return nil
	}
	text := fmt.Sprintf(sayLevelUp, t.DisplayName(ctx, e.UserID), title)
	if t.Event.From == e.UserID && t.Event.Text != "" && !t.Direct {
		t.Reply(text)
		return nil
	}
	return t.Post(ctx, text, e.UserID)
}
