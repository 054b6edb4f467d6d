package store

import (
	"context"
	"fmt"
	"sort"

	"gorm.io/gorm"

	"github.com/qunbot/qunbot/rules"
)

// statMemberRow holds a member's activity bits (stats_bits.go).
type statMemberRow struct {
	ChatID  string `gorm:"primaryKey"`
	UserID  string `gorm:"primaryKey"`
	LastDay string
	Bits0   int64
	Bits1   int64
}

func (statMemberRow) TableName() string { return "stat_members" }

func (r statMemberRow) activity() activity {
	return activity{last: r.LastDay, bits: [2]uint64{uint64(r.Bits0), uint64(r.Bits1)}}
}

// markSpoke sets day in the member's activity bits: read, then write only
// if the row is still what was read (a compare-and-set), so two turns of the
// member racing over midnight cannot lose a day. Raw SQL: this is on the
// path of every member's first message of the day.
func (s *Store) markSpoke(ctx context.Context, chatID, userID, day string) error {
	for range 3 {
		var rows []statMemberRow
		err := s.q(ctx).Raw("SELECT chat_id, user_id, last_day, bits0, bits1 FROM stat_members WHERE chat_id = ? AND user_id = ?",
			chatID, userID).Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("store: activity of %s in %s: %w", userID, chatID, err)
		}
		var res *gorm.DB
		if len(rows) == 0 {
			a := activity{}.mark(day)
			res = s.q(ctx).Exec("INSERT INTO stat_members (chat_id, user_id, last_day, bits0, bits1) VALUES (?, ?, ?, ?, ?)"+
				s.onDupNothing(), chatID, userID, a.last, int64(a.bits[0]), int64(a.bits[1]))
		} else {
			r := rows[0]
			a := r.activity().mark(day)
			if a == r.activity() {
				return nil // already marked
			}
			res = s.q(ctx).Exec("UPDATE stat_members SET last_day = ?, bits0 = ?, bits1 = ? WHERE chat_id = ? AND user_id = ?"+
				" AND last_day = ? AND bits0 = ? AND bits1 = ?", a.last, int64(a.bits[0]), int64(a.bits[1]),
				chatID, userID, r.LastDay, r.Bits0, r.Bits1)
		}
		if res.Error != nil {
			return fmt.Errorf("store: activity of %s in %s: %w", userID, chatID, res.Error)
		}
		if res.RowsAffected == 1 {
			return nil
		}
	}
	return fmt.Errorf("store: activity of %s in %s: changed under every attempt", userID, chatID)
}

// onDupNothing ends an INSERT that leaves an existing row alone, reporting
// it as not affected on both backends.
func (s *Store) onDupNothing() string {
	if s.mysql {
		return " ON DUPLICATE KEY UPDATE user_id = user_id"
	}
	return " ON CONFLICT DO NOTHING"
}

// speakerDays is one member who spoke in a window.
type speakerDays struct {
	userID, last string
	days         int
}

// speakersIn reads one row per member who spoke since the window began and
// counts the window's days each spoke on. Rows are scanned by hand: a big
// group has tens of thousands of them.
func (s *Store) speakersIn(ctx context.Context, chatID string, w rules.Window) ([]speakerDays, error) {
	f, ok1 := dayIndex(w.From)
	t, ok2 := dayIndex(w.To)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("store: speakers of %s: bad window %s..%s", chatID, w.From, w.To)
	}
	rows, err := s.q(ctx).Raw("SELECT user_id, last_day, bits0, bits1 FROM stat_members WHERE chat_id = ? AND last_day >= ?",
		chatID, w.From).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: speakers of %s: %w", chatID, err)
	}
	defer rows.Close()
	var out []speakerDays
	for rows.Next() {
		var r statMemberRow
		if err := rows.Scan(&r.UserID, &r.LastDay, &r.Bits0, &r.Bits1); err != nil {
			return nil, fmt.Errorf("store: speakers of %s: %w", chatID, err)
		}
		if n := r.activity().daysBetween(f, t); n > 0 {
			out = append(out, speakerDays{userID: r.UserID, last: r.LastDay, days: n})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: speakers of %s: %w", chatID, err)
	}
	return out, nil
}

// ActiveDays counts the window's speakers by days spoken on. A speaker is
// gone when they left in the window (they were there to speak in it).
func (s *Store) ActiveDays(ctx context.Context, chatID string, w rules.Window) ([]rules.ActiveDays, error) {
	speakers, err := s.speakersIn(ctx, chatID, w)
	if err != nil {
		return nil, err
	}
	var left []string
	err = s.q(ctx).Model(&memberRow{}).Where("chat_id = ? AND left_at >= ?", chatID, dbTime(w.Since)).
		Pluck("user_id", &left).Error
	if err != nil {
		return nil, fmt.Errorf("store: members who left %s: %w", chatID, err)
	}
	gone := make(map[string]bool, len(left))
	for _, u := range left {
		gone[u] = true
	}
	count := map[rules.ActiveDays]int{}
	for _, sp := range speakers {
		count[rules.ActiveDays{Days: sp.days, Present: !gone[sp.userID]}]++
	}
	out := make([]rules.ActiveDays, 0, len(count))
	for b, n := range count {
		b.Members = n
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return a.Days < b.Days || a.Days == b.Days && !a.Present && b.Present
	})
	return out, nil
}

// TopSpeakers ranks the window's speakers by days spoken on, then by
// messages, then by the latest to speak, then by userid.
func (s *Store) TopSpeakers(ctx context.Context, chatID string, w rules.Window, n int) ([]rules.Speaker, error) {
	speakers, err := s.speakersIn(ctx, chatID, w)
	if err != nil || len(speakers) == 0 {
		return nil, err
	}
	var sums []struct {
		UserID   string
		Messages int
	}
	err = s.q(ctx).Table("stat_member_days").Select("user_id, SUM(messages) AS messages").
		Where("chat_id = ? AND day >= ? AND day <= ?", chatID, w.From, w.To).
		Group("user_id").Scan(&sums).Error
	if err != nil {
		return nil, fmt.Errorf("store: messages of top speakers in %s: %w", chatID, err)
	}
	messages := make(map[string]int, len(sums))
	for _, m := range sums {
		messages[m.UserID] = m.Messages
	}
	sort.Slice(speakers, func(i, j int) bool {
		a, b := speakers[i], speakers[j]
		if a.days != b.days {
			return a.days > b.days
		}
		if ma, mb := messages[a.userID], messages[b.userID]; ma != mb {
			return ma > mb
		}
		if a.last != b.last {
			return a.last > b.last
		}
		return a.userID < b.userID
	})
	speakers = speakers[:min(n, len(speakers))]
	out := make([]rules.Speaker, len(speakers))
	for i, sp := range speakers {
		out[i] = rules.Speaker{UserID: sp.userID, Days: sp.days, Messages: messages[sp.userID]}
	}
	return out, nil
}
