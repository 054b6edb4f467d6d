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

// CountMessage adds one message, sent at at, to the member's day and the
// group's; the member's first message of the day also counts a speaker and
// marks the day in their activity bits. The member's day keeps the time of
// their latest message (last_message_at) in the same statement. Raw SQL:
// gorm's Create on MariaDB adds RETURNING, which reports a duplicate as
// inserted.
func (s *Store) CountMessage(ctx context.Context, chatID, userID, day string, at time.Time) error {
	onDup := " ON CONFLICT (chat_id, day, user_id) DO NOTHING"
	if s.mysql {
		onDup = " ON DUPLICATE KEY UPDATE messages = messages"
	}
	at = dbTime(at)
	res := s.q(ctx).Exec("INSERT INTO stat_member_days (chat_id, day, user_id, messages, last_at) VALUES (?, ?, ?, 1, ?)"+onDup,
		chatID, day, userID, at)
	if res.Error != nil {
		return fmt.Errorf("store: count message of %s in %s: %w", userID, chatID, res.Error)
	}
	d := rules.DayCounts{Day: day, Messages: 1}
	if res.RowsAffected == 1 {
		d.Speakers = 1
		if err := s.markSpoke(ctx, chatID, userID, day); err != nil {
			return err
		}
	} else {
		err := s.q(ctx).Exec("UPDATE stat_member_days SET messages = messages + 1,"+
			" last_at = CASE WHEN last_at IS NULL OR last_at < ? THEN ? ELSE last_at END"+
			" WHERE chat_id = ? AND day = ? AND user_id = ?", at, at, chatID, day, userID).Error
		if err != nil {
			return fmt.Errorf("store: count message of %s in %s: %w", userID, chatID, err)
		}
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

// DayCounts sums each day's shards in the window.
func (s *Store) DayCounts(ctx context.Context, chatID string, w rules.Window) ([]rules.DayCounts, error) {
	var rows []rules.DayCounts
	err := s.q(ctx).Table("stat_days").
		Select("day, SUM(messages) AS messages, SUM(speakers) AS speakers, SUM(checkins) AS checkins,"+
			" SUM(joins) AS joins, SUM(leaves) AS leaves").
		Where("chat_id = ? AND day >= ? AND day <= ?", chatID, w.From, w.To).Group("day").Order("day").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: day counters of %s: %w", chatID, err)
	}
	return rows, nil
}

// Population counts current members, and those who left in the window (a
// member who came back has no left_at).
func (s *Store) Population(ctx context.Context, chatID string, w rules.Window) (members, left int, err error) {
	var n, c int64
	q := s.q(ctx).Model(&memberRow{})
	if err := q.Where("chat_id = ? AND left_at IS NULL", chatID).Count(&n).Error; err != nil {
		return 0, 0, fmt.Errorf("store: members of %s: %w", chatID, err)
	}
	q = s.q(ctx).Model(&memberRow{})
	if err := q.Where("chat_id = ? AND left_at >= ?", chatID, dbTime(w.Since)).Count(&c).Error; err != nil {
		return 0, 0, fmt.Errorf("store: churned members of %s: %w", chatID, err)
	}
	return int(n), int(c), nil
}

// SilentMembers lists current members who have not spoken since the window
// began, longest in the group first: one activity row look-up per member,
// stopping at n.
func (s *Store) SilentMembers(ctx context.Context, chatID string, w rules.Window, n int) ([]string, error) {
	var ids []string
	err := s.q(ctx).Raw("SELECT m.user_id FROM members m LEFT JOIN stat_members a ON a.chat_id = m.chat_id"+
		" AND a.user_id = m.user_id WHERE m.chat_id = ? AND m.left_at IS NULL AND (a.last_day IS NULL OR a.last_day < ?)"+
		" ORDER BY m.joined_at, m.user_id LIMIT ?", chatID, w.From, n).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("store: silent members of %s: %w", chatID, err)
	}
	return ids, nil
}
