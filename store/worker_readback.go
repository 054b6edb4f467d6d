package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/qunbot/qunbot/bot"
)

// readBackFailed tells the engine that a group read-back (ActFetchGroup)
// failed for good: it raises the KindGroupSnapshot event with a nil Snapshot,
// so what waited for the read-back (the welcome of a burst of joins) goes on
// without it. Other failures are retried and tell nothing.
func (w *Worker) readBackFailed(ctx context.Context, row outboxRow, a bot.Action, cause error) error {
	if a.Kind != bot.ActFetchGroup || !bot.Permanent(cause) || w.o.OnGroupSnapshot == nil {
		return nil
	}
	ev := bot.Event{ID: "snapshot:" + strconv.FormatInt(row.ID, 10), Channel: bot.ChannelSystem,
		Kind: bot.KindGroupSnapshot, At: w.o.Now(), ChatID: a.ChatID, From: "sys"}
	if err := w.o.OnGroupSnapshot(ctx, ev); err != nil {
		return fmt.Errorf("failed read-back of %s: %w", a.ChatID, err)
	}
	return nil
}
