package store

import (
	"context"
	"fmt"
	"time"

	"github.com/qunbot/qunbot/rules"
)

var _ rules.Replies = (*Store)(nil)

type keywordReplyRow struct {
	ID        int64 `gorm:"primaryKey"`
	ChatID    string
	Kind      string
	Pattern   string
	Text      string
	CreatedBy string
	CreatedAt time.Time
}

func (keywordReplyRow) TableName() string { return "keyword_replies" }

// KeywordReplies returns a group's keyword replies, oldest first.
func (s *Store) KeywordReplies(ctx context.Context, chatID string) ([]rules.KeywordReply, error) {
	var rows []keywordReplyRow
	if err := s.q(ctx).Where("chat_id = ?", chatID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: keyword replies of %s: %w", chatID, err)
	}
	out := make([]rules.KeywordReply, len(rows))
	for i, r := range rows {
		out[i] = rules.KeywordReply{ID: r.ID, ChatID: r.ChatID, Kind: r.Kind, Pattern: r.Pattern,
			Text: r.Text, CreatedBy: r.CreatedBy, At: r.CreatedAt.UTC()}
	}
	return out, nil
}

// AddKeywordReply adds one answer to a keyword.
func (s *Store) AddKeywordReply(ctx context.Context, r rules.KeywordReply) error {
	row := keywordReplyRow{ChatID: r.ChatID, Kind: r.Kind, Pattern: r.Pattern, Text: r.Text,
		CreatedBy: r.CreatedBy, CreatedAt: dbTime(r.At)}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store: add keyword reply to %s: %w", r.ChatID, err)
	}
	return nil
}

// DelKeywordReplies removes every answer of a group's keyword.
func (s *Store) DelKeywordReplies(ctx context.Context, chatID, kind, pattern string) (int, error) {
	res := s.q(ctx).Where("chat_id = ? AND kind = ? AND pattern = ?", chatID, kind, pattern).Delete(&keywordReplyRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: delete keyword %s:%s of %s: %w", kind, pattern, chatID, res.Error)
	}
	return int(res.RowsAffected), nil
}
