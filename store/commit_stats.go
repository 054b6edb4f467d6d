package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

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
// speaker and marks the day in their activity bits. Only messages whose
// member's copy did not show that day yet (MessageCount.Seen) can be a
// first; their member-day rows are read with a locking read on MySQL, so two
// batches cannot both count the same member as a new speaker.
func (s *Store) countBatchActivity(ctx context.Context, batch []*pendingCommit) error {
	messages := map[memberDay]int{}
	seen := map[memberDay]bool{}        // known to have a row: not a first message
	lastAt := map[memberDay]time.Time{} // each member-day's latest message
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
			k := memberDay{m.ChatID, m.Day, m.UserID}
			messages[k]++
			seen[k] = seen[k] || m.Seen
			if at := dbTime(m.At); at.After(lastAt[k]) {
				lastAt[k] = at
			}
			add(m.ChatID, m.UserID, m.Day, rules.DayCounts{Messages: 1})
		}
		for _, d := range p.j.Days {
			add(d.ChatID, d.UserID, d.Counts.Day, d.Counts)
		}
	}
	keys := slices.SortedFunc(maps.Keys(messages), compareMemberDays)
	var maybeNew []memberDay
	for _, k := range keys {
		if !seen[k] {
			maybeNew = append(maybeNew, k)
		}
	}
	fresh, err := s.newMemberDays(ctx, maybeNew)
	if err != nil {
		return err
	}
	for _, k := range fresh {
		add(k.chatID, k.userID, k.day, rules.DayCounts{Speakers: 1})
	}
	if err := s.markSpokeDays(ctx, fresh); err != nil {
		return err
	}
	newAt := s.newValue("last_at")
	if err := s.insertRows(ctx, "stat_member_days", "chat_id, day, user_id, messages, last_at", "(?, ?, ?, ?, ?)", len(keys),
		func(i int) []any { k := keys[i]; return []any{k.chatID, k.day, k.userID, messages[k], lastAt[k]} },
		s.onConflict("chat_id", "day", "user_id")+"messages = messages + "+s.newValue("messages")+
			", last_at = CASE WHEN last_at IS NULL OR last_at < "+newAt+" THEN "+newAt+" ELSE last_at END"); err != nil {
		return err
	}
	return s.addDayCountRows(ctx, days)
}

// newMemberDays returns the keys that have no row yet, locking the others.
func (s *Store) newMemberDays(ctx context.Context, keys []memberDay) ([]memberDay, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	args := make([]any, 0, 3*len(keys))
	for _, k := range keys {
		args = append(args, k.chatID, k.day, k.userID)
	}
	q := "SELECT chat_id, day, user_id FROM stat_member_days WHERE " +
		anyOf("(chat_id = ? AND day = ? AND user_id = ?)", len(keys)) + s.forUpdate()
	have := map[memberDay]bool{}
	err := s.queryRows(ctx, func(rows *sql.Rows) error {
		var k memberDay
		err := rows.Scan(&k.chatID, &k.day, &k.userID)
		have[k] = true
		return err
	}, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: member days of %d members: %w", len(keys), err)
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
	args := make([]any, 0, 2*len(members))
	for _, k := range members {
		args = append(args, k.chatID, k.userID)
	}
	q := "SELECT chat_id, user_id, last_day, bits0, bits1 FROM stat_members WHERE " +
		anyOf("(chat_id = ? AND user_id = ?)", len(members)) + s.forUpdate()
	current := map[memberKey]activity{}
	err := s.queryRows(ctx, func(rows *sql.Rows) error {
		var r statMemberRow
		err := rows.Scan(&r.ChatID, &r.UserID, &r.LastDay, &r.Bits0, &r.Bits1)
		current[memberKey{r.ChatID, r.UserID}] = r.activity()
		return err
	}, q, args...)
	if err != nil {
		return fmt.Errorf("store: activity of %d members: %w", len(members), err)
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
	err = s.insertRows(ctx, "stat_members", "chat_id, user_id, last_day, bits0, bits1", "(?, ?, ?, ?, ?)", len(members),
		func(i int) []any {
			a := marked[i]
			return []any{members[i].chatID, members[i].userID, a.last, int64(a.bits[0]), int64(a.bits[1])}
		}, s.onConflict("chat_id", "user_id")+"last_day = "+n("last_day")+", bits0 = "+n("bits0")+", bits1 = "+n("bits1"))
	return err
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
	err := s.insertRows(ctx, "stat_days", "chat_id, day, shard, messages, speakers, checkins, joins, leaves",
		"(?, ?, ?, ?, ?, ?, ?, ?)", len(keys), func(i int) []any {
			k := keys[i]
			d := days[k]
			return []any{k.chatID, k.day, k.shard, d.Messages, d.Speakers, d.Checkins, d.Joins, d.Leaves}
		}, update)
	return err
}
