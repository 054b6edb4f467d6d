package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// A row is due when it is pending and its time has come, or when the worker
// that leased it let the lease run out (it crashed or hung).
const dueCond = "(status = ? AND next_attempt_at <= ?) OR (status = ? AND lease_until <= ?)"

func dueArgs(now time.Time) []any {
	t := dbTime(now)
	return []any{statusPending, t, statusSending, t}
}

// dueRow is a due row's id and destination.
type dueRow struct {
	ID   int64
	Dest string
}

// dueOutbox lists up to n due rows, oldest first, leaving out the kinds in
// kinds (another replica delivers them) and the destinations in dests (the
// worker is sending to them already).
func (s *Store) dueOutbox(ctx context.Context, now time.Time, n int, kinds, dests []string) ([]dueRow, error) {
	var rows []dueRow
	q := s.q(ctx).Model(&outboxRow{}).Select("id", "dest").Where(dueCond, dueArgs(now)...)
	if len(kinds) > 0 {
		q = q.Where("kind NOT IN ?", kinds)
	}
	if len(dests) > 0 {
		q = q.Where("dest NOT IN ?", dests)
	}
	if err := q.Order("id").Limit(n).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: due outbox rows: %w", err)
	}
	return rows, nil
}

// claimOutbox leases row id to token until until, if it is still due. The
// conditional UPDATE is the whole protocol: of several replicas racing for a
// row, the database lets exactly one change it.
func (s *Store) claimOutbox(ctx context.Context, id int64, now, until time.Time, token string) (outboxRow, bool, error) {
	res := s.q(ctx).Model(&outboxRow{}).Where("id = ?", id).Where(dueCond, dueArgs(now)...).
		Updates(map[string]any{"status": statusSending, "lease_until": dbTime(until),
			"lease_owner": token, "updated_at": dbTime(now)})
	if res.Error != nil {
		return outboxRow{}, false, fmt.Errorf("store: claim outbox row %d: %w", id, res.Error)
	}
	if res.RowsAffected != 1 {
		return outboxRow{}, false, nil
	}
	var row outboxRow
	if err := s.q(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return outboxRow{}, false, fmt.Errorf("store: read outbox row %d: %w", id, err)
	}
	return row, true, nil
}

// releaseOutbox ends token's lease on row id, setting status and fields. A
// worker that lost its lease changes nothing.
func (s *Store) releaseOutbox(ctx context.Context, id int64, token, status string, now time.Time, fields map[string]any) error {
	fields["status"] = status
	fields["lease_until"] = gorm.Expr("NULL")
	fields["lease_owner"] = ""
	fields["updated_at"] = dbTime(now)
	err := s.q(ctx).Model(&outboxRow{}).Where("id = ? AND status = ? AND lease_owner = ?", id, statusSending, token).
		Updates(fields).Error
	if err != nil {
		return fmt.Errorf("store: mark outbox row %d %s: %w", id, status, err)
	}
	return nil
}
