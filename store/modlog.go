package store

import (
	"context"
	"fmt"
	"time"

	"github.com/qunbot/qunbot/rules"
)

type modlogRow struct {
	ID        int64 `gorm:"primaryKey"`
	ChatID    string
	Action    string
	Actor     string
	Target    string
	Reason    string
	Evidence  string
	Source    string
	CreatedAt time.Time
}

func (modlogRow) TableName() string { return "modlog" }

// defaultModlogLimit is used when ModlogEntries is asked for limit <= 0.
const defaultModlogLimit = 50

// AddModlog appends e (its ID is assigned by the database; a zero At means now).
func (s *Store) AddModlog(ctx context.Context, e rules.ModEntry) error {
	at := e.At
	if at.IsZero() {
		at = s.now()
	}
	row := modlogRow{ChatID: e.ChatID, Action: e.Action, Actor: e.Actor, Target: e.Target,
		Reason: e.Reason, Evidence: e.Evidence, Source: e.Source, CreatedAt: dbTime(at)}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store: add modlog %s in %s: %w", e.Action, e.ChatID, err)
	}
	return nil
}

// ModlogEntries returns chatID's latest entries, newest first.
func (s *Store) ModlogEntries(ctx context.Context, chatID string, limit int) ([]rules.ModEntry, error) {
	if limit <= 0 {
		limit = defaultModlogLimit
	}
	var rows []modlogRow
	err := s.q(ctx).Where("chat_id = ?", chatID).Order("id DESC").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: modlog of %s: %w", chatID, err)
	}
	out := make([]rules.ModEntry, len(rows))
	for i, r := range rows {
		out[i] = rules.ModEntry{ID: r.ID, ChatID: r.ChatID, Action: r.Action, Actor: r.Actor,
			Target: r.Target, Reason: r.Reason, Evidence: r.Evidence, At: r.CreatedAt.UTC()}
	}
	return out, nil
}
