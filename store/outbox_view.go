package store

import (
	"context"
	"fmt"
	"time"
)

// OutboxEntry is an outbox row as an operator sees it. The payload is left
// out: it can carry a webhook key.
type OutboxEntry struct {
	ID            int64
	Kind          string
	RateKey       string
	Status        string // pending | sending | done | failed
	Attempts      int    // failed attempts so far
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// OutboxEntries lists rows with status (all rows when status is ""), oldest
// first, at most limit (100 when limit <= 0).
func (s *Store) OutboxEntries(ctx context.Context, status string, limit int) ([]OutboxEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	q := s.q(ctx).Order("id").Limit(limit)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	var rows []outboxRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: outbox entries: %w", err)
	}
	out := make([]OutboxEntry, len(rows))
	for i, r := range rows {
		out[i] = OutboxEntry{ID: r.ID, Kind: r.Kind, RateKey: r.RateKey, Status: r.Status,
			Attempts: r.Attempts, NextAttemptAt: r.NextAttemptAt.UTC(), LastError: r.LastError,
			CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	}
	return out, nil
}
