package store

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/qunbot/qunbot/rules"
)

// memberDay is one member's messages on one local day.
type memberDay struct{ chatID, day, userID string }

func compareMemberDays(a, b memberDay) int {
	return cmp.Or(cmp.Compare(a.chatID, b.chatID), cmp.Compare(a.day, b.day), cmp.Compare(a.userID, b.userID))
}

// statDay is one shard of a group's counters of one day.
type statDay struct {
	chatID, day string
	shard       int
}

// countBatchActivity adds the batch's messages, check-ins, joins and leaves
// to the activity roll-ups, as CountMessage and AddDayCounts do for one: a
// member's first message of a day (no member-day row before) also counts a
// speaker and marks the day in their activity bits. The member-day rows are
// read with a locking read on MySQL, so two batches cannot both count the
// same member as a new speaker.
func (s *Store) countBatchActivity(ctx context.Context, batch []*pendingCommit) error {
	messages := map[memberDay]int{}
	days := map[statDay]*rules.DayCounts{}
	add := func(chatID, userID, day string, d rules.DayCounts) {
		k := statDay{chatID, day, statShard(userID)}
		if days[k] == nil {
			days[k] = &rules.DayCounts{Day: day}
		}
		days[k].Add(d)
	}
	for _, p := range batch {
		for _, m := range p.j.Messages {
			messages[memberDay{m.ChatID, m.Day, m.UserID}]++
			add(m.ChatID, m.UserID, m.Day, rules.DayCounts{Messages: 1})
		}
		for _, d := range p.j.Days {
			add(d.ChatID, d.UserID, d.Counts.Day, d.Counts)
		}
	}
	keys := slices.SortedFunc(maps.Keys(messages), compareMemberDays)
	fresh, err := s.newMemberDays(ctx, keys)
	if err != nil {
		return err
	}
	for _, k := range fresh {
		add(k.chatID, k.userID, k.day, rules.DayCounts{Speakers: 1})
	}
	if err := s.markSpokeDays(ctx, fresh); err != nil {
		return err
	}
	if err := s.insertRows(ctx, "stat_member_days", "chat_id, day, user_id, messages", "(?, ?, ?, ?)", len(keys),
		func(i int) []any { k := keys[i]; return []any{k.chatID, k.day, k.userID, messages[k]} },
		s.onConflict("chat_id", "day", "user_id")+"messages = messages + "+s.newValue("messages")); err != nil {
		return err
	}
	return s.addDayCountRows(ctx, days)
}

// newMemberDays returns the keys that have no row yet, locking the others.
func (s *Store) newMemberDays(ctx context.Context, keys []memberDay) ([]memberDay, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	where := make([]string, len(keys))
	args := make([]any, 0, 3*len(keys))
	for i, k := range keys {
		where[i] = "(chat_id = ? AND day = ? AND user_id = ?)"
		args = append(args, k.chatID, k.day, k.userID)
	}
	q := "SELECT chat_id, day, user_id FROM stat_member_days WHERE " + strings.Join(where, " OR ")
	if s.mysql {
		q += " FOR UPDATE"
	}
	var rows []struct{ ChatID, Day, UserID string }
	if err := s.q(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: member days of %d members: %w", len(keys), err)
	}
	have := make(map[memberDay]bool, len(rows))
	for _, r := range rows {
		have[memberDay{r.ChatID, r.Day, r.UserID}] = true
	}
	var fresh []memberDay
	for _, k := range keys {
		if !have[k] {
			fresh = append(fresh, k)
		}
	}
	return fresh, nil
}

// markSpokeDays sets each new member-day in the member's activity bits,
// reading the rows under a lock (MySQL) and writing them in one statement.
func (s *Store) markSpokeDays(ctx context.Context, fresh []memberDay) error {
	if len(fresh) == 0 {
		return nil
	}
	byMember := map[memberKey][]string{}
	for _, k := range fresh {
		mk := memberKey{k.chatID, k.userID}
		byMember[mk] = append(byMember[mk], k.day)
	}
	members := slices.SortedFunc(maps.Keys(byMember), compareMemberKeys)
	where := make([]string, len(members))
	args := make([]any, 0, 2*len(members))
	for i, k := range members {
		where[i] = "(chat_id = ? AND user_id = ?)"
		args = append(args, k.chatID, k.userID)
	}
	q := "SELECT chat_id, user_id, last_day, bits0, bits1 FROM stat_members WHERE " + strings.Join(where, " OR ")
	if s.mysql {
		q += " FOR UPDATE"
	}
	var rows []statMemberRow
	if err := s.q(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return fmt.Errorf("store: activity of %d members: %w", len(members), err)
	}
	current := make(map[memberKey]activity, len(rows))
	for _, r := range rows {
		current[memberKey{r.ChatID, r.UserID}] = r.activity()
	}
	marked := make([]activity, len(members))
	for i, k := range members {
		a := current[k]
		for _, day := range byMember[k] {
			a = a.mark(day)
		}
		marked[i] = a
	}
	n := s.newValue
	return s.insertRows(ctx, "stat_members", "chat_id, user_id, last_day, bits0, bits1", "(?, ?, ?, ?, ?)", len(members),
		func(i int) []any {
			a := marked[i]
			return []any{members[i].chatID, members[i].userID, a.last, int64(a.bits[0]), int64(a.bits[1])}
		}, s.onConflict("chat_id", "user_id")+"last_day = "+n("last_day")+", bits0 = "+n("bits0")+", bits1 = "+n("bits1"))
}

// addDayCountRows adds to the day counters, one row per shard and day.
func (s *Store) addDayCountRows(ctx context.Context, days map[statDay]*rules.DayCounts) error {
	keys := slices.SortedFunc(maps.Keys(days), func(a, b statDay) int {
		return cmp.Or(cmp.Compare(a.chatID, b.chatID), cmp.Compare(a.day, b.day), cmp.Compare(a.shard, b.shard))
	})
	n := s.newValue
	update := s.onConflict("chat_id", "day", "shard") + strings.Join([]string{
		"messages = messages + " + n("messages"), "speakers = speakers + " + n("speakers"),
		"checkins = checkins + " + n("checkins"), "joins = joins + " + n("joins"), "leaves = leaves + " + n("leaves"),
	}, ", ")
	return s.insertRows(ctx, "stat_days", "chat_id, day, shard, messages, speakers, checkins, joins, leaves",
		"(?, ?, ?, ?, ?, ?, ?, ?)", len(keys), func(i int) []any {
			k := keys[i]
			d := days[k]
			return []any{k.chatID, k.day, k.shard, d.Messages, d.Speakers, d.Checkins, d.Joins, d.Leaves}
		}, update)
}
