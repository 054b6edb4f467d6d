package store

import (
	"context"
	"fmt"
	"time"

	"github.com/qunbot/qunbot/rules"
)

type heldRow struct {
	EventID   string `gorm:"primaryKey"`
	Payload   string
	CreatedAt time.Time
}

func (heldRow) TableName() string { return "held_events" }

// HoldEvent records an event answered before it was decided; holding it
// again changes nothing.
func (s *Store) HoldEvent(ctx context.Context, e rules.HeldEvent) error {
	row := heldRow{EventID: e.EventID, Payload: string(e.Payload), CreatedAt: dbTime(e.At)}
	if err := s.insertNew(ctx, &row); err != nil {
		return fmt.Errorf("store: hold %s: %w", e.EventID, err)
	}
	return nil
}

// HeldEvents are the events held before before, oldest first.
func (s *Store) HeldEvents(ctx context.Context, before time.Time, limit int) ([]rules.HeldEvent, error) {
	var rows []heldRow
	err := s.q(ctx).Where("created_at < ?", dbTime(before)).Order("created_at, event_id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: held events: %w", err)
	}
	out := make([]rules.HeldEvent, len(rows))
	for i, r := range rows {
		out[i] = rules.HeldEvent{EventID: r.EventID, Payload: []byte(r.Payload), At: r.CreatedAt.UTC()}
	}
	return out, nil
}

// ReleaseEvent forgets a held event.
func (s *Store) ReleaseEvent(ctx context.Context, eventID string) error {
	if err := s.q(ctx).Where("event_id = ?", eventID).Delete(&heldRow{}).Error; err != nil {
		return fmt.Errorf("store: release %s: %w", eventID, err)
	}
	return nil
}
