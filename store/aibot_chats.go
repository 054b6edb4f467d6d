package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/qunbot/qunbot/rules"
)

var _ rules.AIBotReach = (*Store)(nil)

type aibotChatRow struct {
	ChatID    string `gorm:"primaryKey"`
	State     string
	Code      int
	UpdatedAt time.Time
}

func (aibotChatRow) TableName() string { return "aibot_chats" }

func (r aibotChatRow) reach() rules.Reach {
	return rules.Reach{ChatID: r.ChatID, State: r.State, Code: r.Code, At: r.UpdatedAt.UTC()}
}

// AIBotReach returns a group's long-connection reachability, or
// rules.ErrNotFound when the bot never heard from it that way.
func (s *Store) AIBotReach(ctx context.Context, chatID string) (rules.Reach, error) {
	var row aibotChatRow
	err := s.q(ctx).Where("chat_id = ?", chatID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return rules.Reach{}, rules.ErrNotFound
	}
	if err != nil {
		return rules.Reach{}, fmt.Errorf("store: aibot reach of %s: %w", chatID, err)
	}
	return row.reach(), nil
}

// SetAIBotReach records a group's reachability, replacing what was known.
func (s *Store) SetAIBotReach(ctx context.Context, r rules.Reach) error {
	row := aibotChatRow{ChatID: r.ChatID, State: r.State, Code: r.Code, UpdatedAt: dbTime(r.At)}
	if err := s.upsert(ctx, &row, []string{"chat_id"}, []string{"state", "code", "updated_at"}); err != nil {
		return fmt.Errorf("store: set aibot reach of %s: %w", r.ChatID, err)
	}
	return nil
}

// AIBotReaches returns every group's reachability by chat id.
func (s *Store) AIBotReaches(ctx context.Context) (map[string]rules.Reach, error) {
	var rows []aibotChatRow
	if err := s.q(ctx).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: aibot reaches: %w", err)
	}
	out := make(map[string]rules.Reach, len(rows))
	for _, r := range rows {
		out[r.ChatID] = r.reach()
	}
	return out, nil
}
