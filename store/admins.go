package store

import (
	"context"
	"fmt"
	"time"
)

type adminRow struct {
	ChatID    string `gorm:"primaryKey"`
	UserID    string `gorm:"primaryKey"`
	AddedBy   string
	CreatedAt time.Time
}

func (adminRow) TableName() string { return "admins" }

// IsGroupAdmin reports whether userID was made an admin of chatID.
func (s *Store) IsGroupAdmin(ctx context.Context, chatID, userID string) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&adminRow{}).Where("chat_id = ? AND user_id = ?", chatID, userID).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("store: is admin %s in %s: %w", userID, chatID, err)
	}
	return n > 0, nil
}

// AddGroupAdmin makes userID an admin of chatID; adding twice is a no-op.
func (s *Store) AddGroupAdmin(ctx context.Context, chatID, userID, actor string, at time.Time) error {
	row := adminRow{ChatID: chatID, UserID: userID, AddedBy: actor, CreatedAt: dbTime(at)}
	if err := s.insertNew(ctx, &row); err != nil {
		return fmt.Errorf("store: add admin %s in %s: %w", userID, chatID, err)
	}
	return nil
}

// DelGroupAdmin removes userID's admin role; removed is false if it had none.
func (s *Store) DelGroupAdmin(ctx context.Context, chatID, userID string) (removed bool, err error) {
	res := s.q(ctx).Where("chat_id = ? AND user_id = ?", chatID, userID).Delete(&adminRow{})
	if res.Error != nil {
		return false, fmt.Errorf("store: remove admin %s in %s: %w", userID, chatID, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// GroupAdmins lists chatID's stored admins, sorted.
func (s *Store) GroupAdmins(ctx context.Context, chatID string) ([]string, error) {
	var ids []string
	err := s.q(ctx).Model(&adminRow{}).Where("chat_id = ?", chatID).Order("user_id").Pluck("user_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("store: admins of %s: %w", chatID, err)
	}
	return ids, nil
}
