package store

import (
	"cmp"
	"context"
	"database/sql"
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
// wrote, read back inside the transaction. On MySQL the transaction is sent
// as a script (commit_script.go).
func (s *Store) writeBatch(ctx context.Context, batch []*pendingCommit) (states []rules.MemberState, err error) {
	if s.scriptDB != nil {
		script, err := beginScript(ctx, s.scriptDB)
		if err != nil {
			return nil, err
		}
		b := s.withScript(script)
		err = b.writeBatchRows(ctx, batch)
		if err == nil {
			err = script.commitAfter(ctx, func() (err error) {
				states, err = b.batchStates(ctx, batch)
				return err
			})
		}
		script.close(err == nil)
		return states, err
	}
	err = s.q(ctx).Transaction(func(tx *gorm.DB) (err error) {
		b := s.bind(tx)
		if err = b.writeBatchRows(ctx, batch); err == nil {
			states, err = b.batchStates(ctx, batch)
		}
		return err
	})
	return states, err
}

// writeBatchRows runs the batch's statements, table by table.
func (s *Store) writeBatchRows(ctx context.Context, batch []*pendingCommit) error {
	steps := []func(context.Context, []*pendingCommit) error{
		s.claimDeliveries, s.recordGroups, s.insertLedger, s.insertCheckins, s.writeBatchMembers,
		s.countBatchActivity, s.enqueueBatch, s.insertPrints,
	}
	for _, step := range steps {
		if err := step(ctx, batch); err != nil {
			return err
		}
	}
	return nil
}

// claimDeliveries records the batch's deliveries with their replies. A
// delivery recorded before breaks the key and fails the batch, which is run
// again without the redeliveries (recordedDeliveries).
func (s *Store) claimDeliveries(ctx context.Context, batch []*pendingCommit) error {
	sorted := slices.SortedFunc(slices.Values(batch), func(a, b *pendingCommit) int { return cmp.Compare(a.j.EventID, b.j.EventID) })
	return s.insertRows(ctx, "deliveries", "event_id, reply, created_at", "(?, ?, ?)", len(sorted),
		func(i int) []any { j := sorted[i].j; return []any{j.EventID, j.Reply, dbTime(j.At)} }, "")
}

// recordedDeliveries names the batch's deliveries already recorded.
func (s *Store) recordedDeliveries(ctx context.Context, batch []*pendingCommit) (duplicatesError, error) {
	ids := make([]any, len(batch))
	for i, p := range batch {
		ids[i] = p.j.EventID
	}
	dups := duplicatesError{ids: map[string]bool{}}
	err := s.queryRows(ctx, func(rows *sql.Rows) error {
		var id string
		err := rows.Scan(&id)
		dups.ids[id] = true
		return err
	}, "SELECT event_id FROM deliveries WHERE event_id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", ids...)
	if err != nil {
		return dups, fmt.Errorf("store: look up deliveries: %w", err)
	}
	return dups, nil
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
	err := s.insertRows(ctx, "chat_groups", "chat_id, first_seen, updated_at", "(?, ?, ?)", len(ids),
		func(i int) []any { t := dbTime(at[ids[i]].At); return []any{ids[i], t, t} }, ignore)
	return err
}

// insertLedger writes the batch's ledger rows; a duplicate idempotency key
// fails the batch.
func (s *Store) insertLedger(ctx context.Context, batch []*pendingCommit) error {
	var rows []rules.LedgerEntry
	for _, p := range batch {
		rows = append(rows, p.j.Ledger...)
	}
	slices.SortFunc(rows, func(a, b rules.LedgerEntry) int { return cmp.Compare(a.IdemKey, b.IdemKey) })
	err := s.insertRows(ctx, "ledger", "chat_id, user_id, delta, kind, reason, source, actor, idem_key, created_at",
		"(?, ?, ?, ?, ?, ?, ?, ?, ?)", len(rows), func(i int) []any {
			e := rows[i]
			return []any{e.ChatID, e.UserID, e.Delta, e.Kind, clip(e.Reason, maxReason), e.Source, e.Actor, e.IdemKey, dbTime(e.At)}
		}, "")
	return err
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
	err := s.insertRows(ctx, "checkins", "chat_id, user_id, day, streak, points, makeup, created_at",
		"(?, ?, ?, ?, ?, ?, ?)", len(rows), func(i int) []any {
			c := rows[i]
			return []any{c.ChatID, c.UserID, c.Day, c.Streak, c.Points, c.Makeup, dbTime(c.At)}
		}, "")
	return err
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
			w.SpokeDay = max(w.SpokeDay, d.SpokeDay)
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
	err := s.insertRows(ctx, "outbox", "kind, payload, rate_key, dest, status, attempts, next_attempt_at, lease_owner,"+
		" last_error, created_at, updated_at", "(?, ?, ?, ?, ?, 0, ?, '', '', ?, ?)", len(rows), func(i int) []any {
		r := rows[i]
		return []any{r.Kind, r.Payload, r.RateKey, r.Dest, r.Status, r.NextAttemptAt, r.CreatedAt, r.UpdatedAt}
	}, "")
	return err
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

// insertRows writes n rows of cols: on MySQL in statements of at most
// insertChunk rows, on SQLite one prepared statement per row (insertEach).
// row(i) gives the i-th row's values for the placeholders of one row, and
// suffix ends each statement (an upsert clause, or "").
func (s *Store) insertRows(ctx context.Context, table, cols, one string, n int, row func(i int) []any, suffix string) error {
	if !s.mysql {
		if err := s.insertEach(ctx, "INSERT INTO "+table+" ("+cols+") VALUES "+one+suffix, n, row); err != nil {
			return fmt.Errorf("store: write %d %s rows: %w", n, table, err)
		}
		return nil
	}
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
		if err := s.exec(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("store: write %d %s rows: %w", end-start, table, err)
		}
	}
	return nil
}

// insertEach runs the one-row statement query for each of n rows. It is how
// SQLite writes a batch: a statement that writes several rows inside a
// transaction keeps a journal of its own, so that it can be undone alone,
// and SQLite allocates and frees it statement by statement; a statement that
// writes one row needs none. The driver parses the statement again at each
// run (under qunbot bench, parsing is about a tenth of the embedded process's
// CPU); a multi-row statement, parsed once a batch, measured no better.
func (s *Store) insertEach(ctx context.Context, query string, n int, row func(i int) []any) error {
	stmt, err := s.conn().PrepareContext(ctx, query)
	if err != nil {
		return unavailable(err)
	}
	defer stmt.Close()
	for i := range n {
		if _, err := stmt.ExecContext(ctx, row(i)...); err != nil {
			return unavailable(err)
		}
	}
	return nil
}

func compareMemberKeys(a, b memberKey) int {
	return cmp.Or(cmp.Compare(a.chatID, b.chatID), cmp.Compare(a.userID, b.userID))
}
