package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/qunbot/qunbot/rules"
)

// EachActivity reads the group's current members one row each, with their
// activity bits, and calls fn with the last day each spoke on or before day
// and their messages from recentFrom to day (one grouped read of the
// member-days, kept as a map of that window's speakers).
func (s *Store) EachActivity(ctx context.Context, chatID, day, recentFrom string, fn func(rules.MemberActivity)) error {
	var sums []struct {
		UserID   string
		Messages int
	}
	err := s.q(ctx).Table("stat_member_days").Select("user_id, SUM(messages) AS messages").
		Where("chat_id = ? AND day >= ? AND day <= ?", chatID, recentFrom, day).Group("user_id").Scan(&sums).Error
	if err != nil {
		return fmt.Errorf("store: recent messages in %s: %w", chatID, err)
	}
	recent := make(map[string]int, len(sums))
	for _, r := range sums {
		recent[r.UserID] = r.Messages
	}
	rows, err := s.q(ctx).Raw("SELECT m.user_id, m.joined_at, m.first_seen, a.last_day, a.bits0, a.bits1"+
		" FROM members m LEFT JOIN stat_members a ON a.chat_id = m.chat_id AND a.user_id = m.user_id"+
		" WHERE m.chat_id = ? AND m.left_at IS NULL", chatID).Rows()
	if err != nil {
		return fmt.Errorf("store: member activity in %s: %w", chatID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			userID       string
			joined, seen sql.NullTime
			last         sql.NullString
			b0, b1       sql.NullInt64
		)
		if err := rows.Scan(&userID, &joined, &seen, &last, &b0, &b1); err != nil {
			return fmt.Errorf("store: member activity in %s: %w", chatID, err)
		}
		m := rules.MemberActivity{UserID: userID, Recent: recent[userID]}
		if !joined.Valid {
			joined = seen
		}
		if joined.Valid {
			t := joined.Time.UTC()
			m.JoinedAt = &t
		}
		if last.Valid {
			m.LastDay = activity{last: last.String, bits: [2]uint64{uint64(b0.Int64), uint64(b1.Int64)}}.lastOn(day)
		}
		fn(m)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: member activity in %s: %w", chatID, err)
	}
	return nil
}

// SegmentCounts sorts the group's current members into segments in one
// statement, with the comparisons of rules.SegmentCuts.segmentOf: quiet
// since a cut-off day is no activity row, or a last day on or before it,
// and a join before its end; high value is a sum of the member's days since
// c.RecentFrom of at least c.HighValue. Valid for a day nobody has spoken
// after (today): a last day is then on or before it.
func (s *Store) SegmentCounts(ctx context.Context, chatID string, c rules.SegmentCuts) (rules.Segments, error) {
	const quiet = "((a.last_day IS NULL OR a.last_day <= ?) AND COALESCE(m.joined_at, m.first_seen) < ?)"
	var row struct{ Members, Churned, Silent, HighValue int }
	err := s.q(ctx).Raw("SELECT COUNT(*) AS members,"+
		" COALESCE(SUM(CASE WHEN "+quiet+" THEN 1 ELSE 0 END), 0) AS churned,"+
		" COALESCE(SUM(CASE WHEN NOT "+quiet+" AND "+quiet+" THEN 1 ELSE 0 END), 0) AS silent,"+
		" COALESCE(SUM(CASE WHEN NOT "+quiet+" AND NOT "+quiet+" AND hv.user_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS high_value"+
		" FROM members m LEFT JOIN stat_members a ON a.chat_id = m.chat_id AND a.user_id = m.user_id"+
		" LEFT JOIN (SELECT user_id FROM stat_member_days WHERE chat_id = ? AND day >= ? AND day <= ?"+
		" GROUP BY user_id HAVING SUM(messages) >= ?) hv ON hv.user_id = m.user_id"+
		" WHERE m.chat_id = ? AND m.left_at IS NULL",
		c.ChurnedDay, dbTime(c.ChurnedBefore),
		c.ChurnedDay, dbTime(c.ChurnedBefore), c.SilentDay, dbTime(c.SilentBefore),
		c.ChurnedDay, dbTime(c.ChurnedBefore), c.SilentDay, dbTime(c.SilentBefore),
		chatID, c.RecentFrom, c.Day, c.HighValue, chatID).Scan(&row).Error
	if err != nil {
		return rules.Segments{}, fmt.Errorf("store: segments of %s: %w", chatID, err)
	}
	return rules.Segments{HighValue: row.HighValue, Silent: row.Silent, Churned: row.Churned,
		Potential: row.Members - row.Churned - row.Silent - row.HighValue}, nil
}
