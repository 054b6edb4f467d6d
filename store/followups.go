package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/qunbot/qunbot/rules"
)

var _ rules.Followups = (*Store)(nil)

// QuietMembers lists current members in the group since before
// q.JoinedBefore who sent fewer than q.Fewer messages in the window, staff
// left out, longest in the group first (the first q.Limit), and counts them.
func (s *Store) QuietMembers(ctx context.Context, chatID string, q rules.QuietQuery) ([]rules.QuietMember, int, error) {
	except := append([]string{""}, q.Except...) // NOT IN () is not SQL
	base := func() *gorm.DB {
		window := s.q(ctx).Table("stat_member_days").Select("user_id, SUM(messages) AS n").
			Where("chat_id = ? AND day >= ? AND day <= ?", chatID, q.From, q.To).Group("user_id")
		return s.q(ctx).Table("members AS m").
			Joins("LEFT JOIN (?) w ON w.user_id = m.user_id", window).
			Joins("LEFT JOIN stat_members a ON a.chat_id = m.chat_id AND a.user_id = m.user_id").
			Where("m.chat_id = ? AND m.left_at IS NULL AND COALESCE(m.joined_at, m.first_seen) < ?", chatID, dbTime(q.JoinedBefore)).
			Where("COALESCE(w.n, 0) < ? AND m.user_id NOT IN ?", q.Fewer, except)
	}
	var total int64
	if err := base().Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: quiet members of %s: %w", chatID, err)
	}
	var rows []struct {
		UserID   string
		Messages int
		LastDay  *string
	}
	err := base().Select("m.user_id, COALESCE(w.n, 0) AS messages, a.last_day").
		Order("COALESCE(m.joined_at, m.first_seen), m.user_id").Limit(q.Limit).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: quiet members of %s: %w", chatID, err)
	}
	out := make([]rules.QuietMember, len(rows))
	for i, r := range rows {
		out[i] = rules.QuietMember{UserID: r.UserID, Messages: r.Messages}
		if r.LastDay != nil {
			out[i].LastDay = *r.LastDay
		}
	}
	return out, int(total), nil
}
