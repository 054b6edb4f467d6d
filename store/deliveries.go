package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/qunbot/qunbot/rules"
)

type deliveryRow struct {
	EventID   string `gorm:"primaryKey"`
	Reply     string
	CreatedAt time.Time
}

func (deliveryRow) TableName() string { return "deliveries" }

// ClaimDelivery records eventID as handled. The primary key decides races:
// exactly one claim of an id succeeds; every other gets rules.ErrDuplicate.
func (s *Store) ClaimDelivery(ctx context.Context, eventID string, at time.Time) error {
	err := s.q(ctx).Create(&deliveryRow{EventID: eventID, CreatedAt: dbTime(at)}).Error
	if isUnique(err) {
		return rules.ErrDuplicate
	}
	if err != nil {
		return fmt.Errorf("store: claim delivery %s: %w", eventID, err)
	}
	return nil
}

// SaveReply stores the passive reply of eventID so a redelivery gets it again.
// It records the delivery too if it was not claimed.
func (s *Store) SaveReply(ctx context.Context, eventID, reply string) error {
	row := deliveryRow{EventID: eventID, Reply: reply, CreatedAt: dbTime(s.now())}
	if err := s.upsert(ctx, &row, []string{"event_id"}, []string{"reply"}); err != nil {
		return fmt.Errorf("store: save reply %s: %w", eventID, err)
	}
	return nil
}

// StoredReply returns the reply saved for eventID ("" when it had none), or
// rules.ErrNotFound when the event was never handled.
func (s *Store) StoredReply(ctx context.Context, eventID string) (string, error) {
	var row deliveryRow
	err := s.q(ctx).Where("event_id = ?", eventID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", rules.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: stored reply %s: %w", eventID, err)
	}
	return row.Reply, nil
}

// PruneDeliveries forgets deliveries recorded before olderThan. WeCom stops
// retrying after minutes, so a few days of history is plenty.
func (s *Store) PruneDeliveries(ctx context.Context, olderThan time.Time) (int64, error) {
	res := s.q(ctx).Where("created_at < ?", dbTime(olderThan)).Delete(&deliveryRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: prune deliveries: %w", res.Error)
	}
	return res.RowsAffected, nil
}
