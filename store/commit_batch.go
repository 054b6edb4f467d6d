package store

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/qunbot/qunbot/rules"
)

// writeBatch writes the journals of batch in one transaction, one statement
// per table, rows in key order so that two batches meeting on the same rows
// lock them in the same order. It returns the states of the members it
// wrote, read back inside the transaction.
func (s *Store) writeBatch(ctx context.Context, batch []*pendingCommit) ([]rules.MemberState, error) {
	var states []rules.MemberState
	err := s.q(ctx).Transaction(func(tx *gorm.DB) error {
		b := s.bind(tx)
		if err := b.claimDeliveries(ctx, batch); err != nil {
			return err
		}
		steps := []func(context.Context, []*pendingCommit) error{
			b.recordGroups, b.insertLedger, b.insertCheckins, b.writeBatchMembers, b.countBatchActivity, b.enqueueBatch,
		}
		for _, step := range steps {
			if err := step(ctx, batch); err != nil {
				return err
			}
		}
		var err error
		states, err = b.batchStates(ctx, batch)
		return err
	})
	return states, err
}

// claimDeliveries records the batch's deliveries with their replies. Any
// recorded before are a duplicatesError, so the batch runs again without
// them; one recorded meanwhile by another transaction breaks the key.
func (s *Store) claimDeliveries(ctx context.Context, batch []*pendingCommit) error {
	ids := make([]string, len(batch))
	for i, p := range batch {
		ids[i] = p.j.EventID
	}
	slices.Sort(ids)
	var found []string
	if err := s.q(ctx).Raw("SELECT event_id FROM deliveries WHERE event_id IN ?", ids).Scan(&found).Error; err != nil {
		return fmt.Errorf("store: look up deliveries: %w", err)
	}
	if len(found) > 0 {
		dups := duplicatesError{ids: map[string]bool{}}
		for _, id := range found {
			dups.ids[id] = true
		}
		return dups
	}
	sorted := slices.SortedFunc(slices.Values(batch), func(a, b *pendingCommit) int { return cmp.Compare(a.j.EventID, b.j.EventID) })
	return s.insertRows(ctx, "deliveries", "event_id, reply, created_at", "(?, ?, ?)", len(sorted),
		func(i int) []any { j := sorted[i].j; return []any{j.EventID, j.Reply, dbTime(j.At)} }, "")
}

// recordGroups records the groups the batch saw first.
func (s *Store) recordGroups(ctx context.Context, batch []*pendingCommit) error {
	at := map[string]*rules.Journal{}
	for _, p := range batch {
		for _, id := range p.j.Groups {
			if _, ok := at[id]; !ok {
				at[id] = p.j
			}
		}
	}
	ids := slices.Sorted(maps.Keys(at))
	ignore := " ON CONFLICT (chat_id) DO NOTHING"
	if s.mysql {
		ignore = " ON DUPLICATE KEY UPDATE chat_id = chat_id"
	}
	return s.insertRows(ctx, "chat_groups", "chat_id, first_seen, updated_at", "(?, ?, ?)", len(ids),
		func(i int) []any { t := dbTime(at[ids[i]].At); return []any{ids[i], t, t} }, ignore)
}

// insertLedger writes the batch's ledger rows; a duplicate idempotency key
// fails the batch.
func (s *Store) insertLedger(ctx context.Context, batch []*pendingCommit) error {
	var rows []rules.LedgerEntry
	for _, p := range batch {
		rows = append(rows, p.j.Ledger...)
	}
	slices.SortFunc(rows, func(a, b rules.LedgerEntry) int { return cmp.Compare(a.IdemKey, b.IdemKey) })
	return s.insertRows(ctx, "ledger", "chat_id, user_id, delta, kind, reason, source, actor, idem_key, created_at",
		"(?, ?, ?, ?, ?, ?, ?, ?, ?)", len(rows), func(i int) []any {
			e := rows[i]
			return []any{e.ChatID, e.UserID, e.Delta, e.Kind, clip(e.Reason, maxReason), e.Source, e.Actor, e.IdemKey, dbTime(e.At)}
		}, "")
}

// insertCheckins writes the batch's check-ins; one the member already has
// that day fails the batch.
func (s *Store) insertCheckins(ctx context.Context, batch []*pendingCommit) error {
	var rows []rules.Checkin
	for _, p := range batch {
		rows = append(rows, p.j.Checkins...)
	}
	slices.SortFunc(rows, func(a, b rules.Checkin) int {
		return cmp.Or(cmp.Compare(a.ChatID, b.ChatID), cmp.Compare(a.UserID, b.UserID), cmp.Compare(a.Day, b.Day))
	})
	return s.insertRows(ctx, "checkins", "chat_id, user_id, day, streak, points, makeup, created_at",
		"(?, ?, ?, ?, ?, ?, ?)", len(rows), func(i int) []any {
			c := rows[i]
			return []any{c.ChatID, c.UserID, c.Day, c.Streak, c.Points, c.Makeup, dbTime(c.At)}
		}, "")
}

// writeBatchMembers applies the batch's member deltas, one per member.
func (s *Store) writeBatchMembers(ctx context.Context, batch []*pendingCommit) error {
	byKey := map[memberKey]*memberWrite{}
	for _, p := range batch {
		for _, d := range p.j.Members {
			k := memberKey{d.ChatID, d.UserID}
			w := byKey[k]
			if w == nil {
				w = &memberWrite{ChatID: d.ChatID, UserID: d.UserID, At: p.j.At}
				byKey[k] = w
			}
			w.Points += d.Points
			w.Earned += d.Earned
			if d.Meter != nil {
				w.Meter = d.Meter
			}
			if d.Checkin != nil && (w.Checkin == nil || d.Checkin.Day > w.Checkin.Day) {
				w.Checkin = d.Checkin
			}
		}
	}
	keys := slices.SortedFunc(maps.Keys(byKey), compareMemberKeys)
	ws := make([]memberWrite, len(keys))
	for i, k := range keys {
		ws[i] = *byKey[k]
	}
	return s.writeMembers(ctx, ws)
}

// enqueueBatch writes the batch's outbox rows.
func (s *Store) enqueueBatch(ctx context.Context, batch []*pendingCommit) error {
	var rows []outboxRow
	for _, p := range batch {
		var err error
		if rows, err = outboxRows(rows, p.j.At, p.j.Outbox); err != nil {
			return err
		}
	}
	return s.insertOutbox(ctx, rows)
}

// batchStates reads back the rows of the members the batch wrote.
func (s *Store) batchStates(ctx context.Context, batch []*pendingCommit) ([]rules.MemberState, error) {
	seen := map[memberKey]bool{}
	for _, p := range batch {
		for _, d := range p.j.Members {
			seen[memberKey{d.ChatID, d.UserID}] = true
		}
	}
	rows, err := s.readMemberRows(ctx, slices.SortedFunc(maps.Keys(seen), compareMemberKeys))
	if err != nil {
		return nil, err
	}
	states := make([]rules.MemberState, len(rows))
	for i, r := range rows {
		states[i] = r.state()
	}
	return states, nil
}

// insertRows writes n rows of cols in statements of at most insertChunk rows;
// row(i) gives the i-th row's values for the placeholders of one row, and
// suffix ends each statement (an upsert clause, or "").
func (s *Store) insertRows(ctx context.Context, table, cols, one string, n int, row func(i int) []any, suffix string) error {
	const insertChunk = 500
	for start := 0; start < n; start += insertChunk {
		end := min(start+insertChunk, n)
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
		var args []any
		for i := start; i < end; i++ {
			if i > start {
				b.WriteString(", ")
			}
			b.WriteString(one)
			args = append(args, row(i)...)
		}
		b.WriteString(suffix)
		if err := s.q(ctx).Exec(b.String(), args...).Error; err != nil {
			return fmt.Errorf("store: write %d %s rows: %w", end-start, table, err)
		}
	}
	return nil
}

func compareMemberKeys(a, b memberKey) int {
	return cmp.Or(cmp.Compare(a.chatID, b.chatID), cmp.Compare(a.userID, b.userID))
}
