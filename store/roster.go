package store

import (
	"context"
	"fmt"
	"time"

	"github.com/qunbot/qunbot/rules"
)

var _ rules.Roster = (*Store)(nil)

// rosterView is a member row with its name and the time of its last message.
type rosterView struct {
	Row     memberRow `gorm:"embedded"`
	Name    *string
	LastDay *string
	LastAt  *time.Time
}

// RosterPage reads one page of members (by userid) with the state kept on
// their rows (balance, points earned, latest check-in) and, for the page,
// their warnings and recent messages: three statements whatever the page's
// size, each on an index that starts with the group and the userid. A page is a range of userids, so each read names the range
// (two parameters, not one per member: binding hundreds of parameters is
// most of a statement's cost on SQLite) and rows of anyone in the range who
// is not on the page are passed over.
func (s *Store) RosterPage(ctx context.Context, chatID string, q rules.RosterQuery) ([]rules.RosterRow, error) {
	db := s.q(ctx).Table("members AS m").
		Select("m.*, d.name AS name, a.last_day AS last_day, md.last_at AS last_at").
		Joins("LEFT JOIN directory d ON d.user_id = m.user_id").
		Joins("LEFT JOIN stat_members a ON a.chat_id = m.chat_id AND a.user_id = m.user_id").
		Joins("LEFT JOIN stat_member_days md ON md.chat_id = a.chat_id AND md.day = a.last_day AND md.user_id = a.user_id").
		Where("m.chat_id = ?", chatID)
	if q.UserID != "" {
		db = db.Where("m.user_id = ?", q.UserID)
	} else {
		db = db.Where("m.user_id > ?", q.After)
	}
	var views []rosterView
	if err := db.Order("m.user_id").Limit(q.Limit).Scan(&views).Error; err != nil {
		return nil, fmt.Errorf("store: members of %s: %w", chatID, err)
	}
	if len(views) == 0 {
		return nil, nil
	}
	out := make([]rules.RosterRow, len(views))
	page := rosterRange{at: make(map[string]*rules.RosterRow, len(views)),
		first: views[0].Row.UserID, last: views[len(views)-1].Row.UserID}
	for i, v := range views {
		r := v.Row
		out[i] = rules.RosterRow{Member: memberView{Row: r, Name: v.Name}.member(), LastMessageAt: utcPtr(v.LastAt),
			Balance: int(r.Points), Earned: int(r.Earned)}
		if r.CheckinDay != "" {
			out[i].LastCheckin = rules.Checkin{ChatID: chatID, UserID: r.UserID, Day: r.CheckinDay, Streak: r.CheckinStreak}
		}
		if v.LastDay != nil {
			out[i].LastDay = *v.LastDay
		}
		page.at[v.Row.UserID] = &out[i]
	}
	for _, fill := range []func(context.Context, string, rosterRange, rules.RosterQuery) error{
		s.rosterWarnings, s.rosterRecent,
	} {
		if err := fill(ctx, chatID, page, q); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// rosterRange is a page of the roster: its rows by userid, first to last.
type rosterRange struct {
	at          map[string]*rules.RosterRow
	first, last string
}

// row is the page's row of userID; nil for someone in the range who is
// not on the page (points given to a userid never seen in the group).
func (p rosterRange) row(userID string) *rules.RosterRow { return p.at[userID] }

func (s *Store) rosterWarnings(ctx context.Context, chatID string, p rosterRange, q rules.RosterQuery) error {
	var counts []struct {
		UserID string
		N      int
	}
	err := s.q(ctx).Model(&violationRow{}).Select("user_id, COUNT(*) AS n").
		Where("chat_id = ? AND user_id BETWEEN ? AND ? AND created_at >= ? AND shadow = ? AND revoked_at IS NULL",
			chatID, p.first, p.last, dbTime(q.WarnSince), false).Group("user_id").Scan(&counts).Error
	if err != nil {
		return fmt.Errorf("store: warnings in %s: %w", chatID, err)
	}
	for _, c := range counts {
		if row := p.row(c.UserID); row != nil {
			row.Warnings = c.N
		}
	}
	return nil
}

func (s *Store) rosterRecent(ctx context.Context, chatID string, p rosterRange, q rules.RosterQuery) error {
	var sums []struct {
		UserID   string
		Messages int
	}
	err := s.q(ctx).Table("stat_member_days").Select("user_id, SUM(messages) AS messages").
		Where("chat_id = ? AND user_id BETWEEN ? AND ? AND day >= ? AND day <= ?", chatID, p.first, p.last, q.RecentFrom, q.Today).
		Group("user_id").Scan(&sums).Error
	if err != nil {
		return fmt.Errorf("store: recent messages in %s: %w", chatID, err)
	}
	for _, r := range sums {
		if row := p.row(r.UserID); row != nil {
			row.Recent = r.Messages
		}
	}
	return nil
}
