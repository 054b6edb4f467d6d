package store

import (
	"context"
	"fmt"
	"time"

	"github.com/qunbot/qunbot/rules"
)

type groupRow struct {
	ChatID    string `gorm:"primaryKey"`
	FirstSeen time.Time
	UpdatedAt time.Time
}

func (groupRow) TableName() string { return "chat_groups" }

type settingRow struct {
	ChatID     string `gorm:"primaryKey"`
	SettingKey string `gorm:"primaryKey"`
	Value      string
	UpdatedBy  string
	UpdatedAt  time.Time
}

func (settingRow) TableName() string { return "group_settings" }

// EnsureGroup records chatID the first time it is seen.
func (s *Store) EnsureGroup(ctx context.Context, chatID string, at time.Time) error {
	// Look before inserting: on MySQL an insert that meets an existing row
	// locks it until the turn commits, which would queue every turn of a busy
	// group behind the one before it.
	if seen, err := s.GroupSeen(ctx, chatID); err != nil || seen {
		return err
	}
	row := groupRow{ChatID: chatID, FirstSeen: dbTime(at), UpdatedAt: dbTime(at)}
	if err := s.insertNew(ctx, &row); err != nil {
		return fmt.Errorf("store: ensure group %s: %w", chatID, err)
	}
	return nil
}

// ListGroups returns every known group with its current member count
// (members joined and not left), ordered by chat id.
func (s *Store) ListGroups(ctx context.Context) ([]rules.GroupSummary, error) {
	var rows []struct {
		ChatID    string
		FirstSeen time.Time
		Members   int
	}
	err := s.q(ctx).Table("chat_groups AS g").
		Select("g.chat_id, g.first_seen, COUNT(m.user_id) AS members").
		Joins("LEFT JOIN members m ON m.chat_id = g.chat_id AND m.left_at IS NULL").
		Group("g.chat_id, g.first_seen").Order("g.chat_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: list groups: %w", err)
	}
	out := make([]rules.GroupSummary, len(rows))
	for i, r := range rows {
		out[i] = rules.GroupSummary{ChatID: r.ChatID, Members: r.Members, FirstSeen: r.FirstSeen.UTC()}
	}
	return out, nil
}

// SettingOverrides returns chatID's /config overrides, key → value.
func (s *Store) SettingOverrides(ctx context.Context, chatID string) (map[string]string, error) {
	var rows []settingRow
	if err := s.q(ctx).Where("chat_id = ?", chatID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: settings of %s: %w", chatID, err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.SettingKey] = r.Value
	}
	return out, nil
}

// SetSetting stores one override, replacing an earlier value of key.
func (s *Store) SetSetting(ctx context.Context, chatID, key, value, actor string, at time.Time) error {
	row := settingRow{ChatID: chatID, SettingKey: key, Value: value, UpdatedBy: actor, UpdatedAt: dbTime(at)}
	err := s.upsert(ctx, &row, []string{"chat_id", "setting_key"}, []string{"value", "updated_by", "updated_at"})
	if err != nil {
		return fmt.Errorf("store: set %s of %s: %w", key, chatID, err)
	}
	return nil
}

// GroupSeen reports whether EnsureGroup ever recorded chatID.
func (s *Store) GroupSeen(ctx context.Context, chatID string) (bool, error) {
	var n int64
	if err := s.q(ctx).Model(&groupRow{}).Where("chat_id = ?", chatID).Limit(1).Count(&n).Error; err != nil {
		return false, fmt.Errorf("store: group %s seen: %w", chatID, err)
	}
	return n > 0, nil
}
