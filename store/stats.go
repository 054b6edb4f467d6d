package store

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/qunbot/qunbot/rules"
)

var _ rules.Analytics = (*Store)(nil)

// statShards is how many rows a group's day counters are spread over.
const statShards = 16

func statShard(userID string) int {
	h := fnv.New32a()
	h.Write([]byte(userID))
	return int(h.Sum32() % statShards)
}

// CountMessage adds one message to the member's day and the group's; the
// member's first message of the day also counts a speaker. Raw SQL: gorm's
// Create on MariaDB adds RETURNING, which reports a duplicate as inserted.
func (s *Store) CountMessage(ctx context.Context, chatID, userID, day string) error {
	onDup := " ON CONFLICT (chat_id, day, user_id) DO NOTHING"
	if s.mysql {
		onDup = " ON DUPLICATE KEY UPDATE messages = messages"
	}
	res := s.q(ctx).Exec("INSERT INTO stat_member_days (chat_id, day, user_id, messages) VALUES (?, ?, ?, 1)"+onDup,
		chatID, day, userID)
	if res.Error != nil {
		return fmt.Errorf("store: count message of %s in %s: %w", userID, chatID, res.Error)
	}
	first := res.RowsAffected == 1
	if !first {
		err := s.q(ctx).Exec("UPDATE stat_member_days SET messages = messages + 1 WHERE chat_id = ? AND day = ? AND user_id = ?",
			chatID, day, userID).Error
		if err != nil {
			return fmt.Errorf("store: count message of %s in %s: %w", userID, chatID, err)
		}
	}
	d := rules.DayCounts{Day: day, Messages: 1}
	if first {
		d.Speakers = 1
	}
	return s.AddDayCounts(ctx, chatID, userID, d)
}

// AddDayCounts adds d to the group's counters of d.Day in userID's shard,
// in one statement on both backends.
func (s *Store) AddDayCounts(ctx context.Context, chatID, userID string, d rules.DayCounts) error {
	onDup := " ON CONFLICT (chat_id, day, shard) DO UPDATE SET messages = stat_days.messages + excluded.messages," +
		" speakers = stat_days.speakers + excluded.speakers, checkins = stat_days.checkins + excluded.checkins," +
		" joins = stat_days.joins + excluded.joins, leaves = stat_days.leaves + excluded.leaves"
	if s.mysql {
		onDup = " ON DUPLICATE KEY UPDATE messages = messages + VALUES(messages), speakers = speakers + VALUES(speakers)," +
			" checkins = checkins + VALUES(checkins), joins = joins + VALUES(joins), leaves = leaves + VALUES(leaves)"
	}
	err := s.q(ctx).Exec("INSERT INTO stat_days (chat_id, day, shard, messages, speakers, checkins, joins, leaves)"+
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?)"+onDup, chatID, d.Day, statShard(userID),
		d.Messages, d.Speakers, d.Checkins, d.Joins, d.Leaves).Error
	if err != nil {
		return fmt.Errorf("store: day counters of %s on %s: %w", chatID, d.Day, err)
	}
	return nil
}

// DayCounts sums each day's shards in [from, to].
func (s *Store) DayCounts(ctx context.Context, chatID, from, to string) ([]rules.DayCounts, error) {
	var rows []rules.DayCounts
	err := s.q(ctx).Table("stat_days").
		Select("day, SUM(messages) AS messages, SUM(speakers) AS speakers, SUM(checkins) AS checkins,"+
			" SUM(joins) AS joins, SUM(leaves) AS leaves").
		Where("chat_id = ? AND day >= ? AND day <= ?", chatID, from, to).Group("day").Order("day").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: day counters of %s: %w", chatID, err)
	}
	return rows, nil
}

// memberDays is the per-member sum of the window's member days.
const memberDays = "SELECT user_id, COUNT(*) AS days, SUM(messages) AS messages FROM stat_member_days" +
	" WHERE chat_id = ? AND day >= ? AND day <= ? GROUP BY user_id"

// ActiveDays groups the window's speakers by days spoken on and presence.
func (s *Store) ActiveDays(ctx context.Context, chatID, from, to string) ([]rules.ActiveDays, error) {
	var rows []struct {
		Days, Present, Members int
	}
	err := s.q(ctx).Raw("SELECT a.days AS days, CASE WHEN m.left_at IS NULL THEN 1 ELSE 0 END AS present,"+
		" COUNT(*) AS members FROM ("+memberDays+") a"+
		" LEFT JOIN members m ON m.chat_id = ? AND m.user_id = a.user_id"+
		" GROUP BY a.days, CASE WHEN m.left_at IS NULL THEN 1 ELSE 0 END ORDER BY days",
		chatID, from, to, chatID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: active days in %s: %w", chatID, err)
	}
	out := make([]rules.ActiveDays, len(rows))
	for i, r := range rows {
		out[i] = rules.ActiveDays{Days: r.Days, Present: r.Present == 1, Members: r.Members}
	}
	return out, nil
}

// TopSpeakers ranks the window's speakers by messages.
func (s *Store) TopSpeakers(ctx context.Context, chatID, from, to string, n int) ([]rules.Speaker, error) {
	var rows []rules.Speaker
	err := s.q(ctx).Raw("SELECT user_id, messages, days FROM ("+memberDays+") a ORDER BY messages DESC, user_id LIMIT ?",
		chatID, from, to, n).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: top speakers in %s: %w", chatID, err)
	}
	return rows, nil
}

// Population counts current members, and those who left at or after since
// (a member who came back has no left_at).
func (s *Store) Population(ctx context.Context, chatID string, since time.Time) (members, churned int, err error) {
	var n, c int64
	q := s.q(ctx).Model(&memberRow{})
	if err := q.Where("chat_id = ? AND left_at IS NULL", chatID).Count(&n).Error; err != nil {
		return 0, 0, fmt.Errorf("store: members of %s: %w", chatID, err)
	}
	q = s.q(ctx).Model(&memberRow{})
	if err := q.Where("chat_id = ? AND left_at >= ?", chatID, dbTime(since)).Count(&c).Error; err != nil {
		return 0, 0, fmt.Errorf("store: churned members of %s: %w", chatID, err)
	}
	return int(n), int(c), nil
}

// SilentMembers lists current members with no message in the window,
// longest in the group first.
func (s *Store) SilentMembers(ctx context.Context, chatID, from, to string, n int) ([]string, error) {
	var ids []string
	err := s.q(ctx).Raw("SELECT m.user_id FROM members m WHERE m.chat_id = ? AND m.left_at IS NULL AND NOT EXISTS"+
		" (SELECT 1 FROM stat_member_days d WHERE d.chat_id = m.chat_id AND d.user_id = m.user_id"+
		" AND d.day >= ? AND d.day <= ?) ORDER BY m.joined_at, m.user_id LIMIT ?",
		chatID, from, to, n).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("store: silent members of %s: %w", chatID, err)
	}
	return ids, nil
}
