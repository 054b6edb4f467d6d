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

// RosterPage reads one page of members (by userid) and, for the page, their
// balances, check-ins, warnings and recent messages: five statements
// whatever the page's size, each on an index that starts with the group and
// the userid. A page is a range of userids, so each read names the range
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
		out[i] = rules.RosterRow{Member: memberView{Row: v.Row, Name: v.Name}.member(), LastMessageAt: utcPtr(v.LastAt)}
		if v.LastDay != nil {
			out[i].LastDay = *v.LastDay
		}
		page.at[v.Row.UserID] = &out[i]
	}
	for _, fill := range []func(context.Context, string, rosterRange, rules.RosterQuery) error{
		s.rosterPoints, s.rosterCheckins, s.rosterWarnings, s.rosterRecent,
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

func (s *Store) rosterPoints(ctx context.Context, chatID string, p rosterRange, _ rules.RosterQuery) error {
	var sums []struct {
		UserID         string
		Balance, Spent int64
	}
	err := s.q(ctx).Model(&ledgerRow{}).
		Select("user_id, SUM(delta) AS balance, SUM(CASE WHEN kind IN ? THEN delta ELSE 0 END) AS spent", rules.SpendKinds).
		Where("chat_id = ? AND user_id BETWEEN ? AND ?", chatID, p.first, p.last).Group("user_id").Scan(&sums).Error
	if err != nil {
		return fmt.Errorf("store: balances in %s: %w", chatID, err)
	}
	for _, r := range sums {
		if row := p.row(r.UserID); row != nil {
			row.Balance, row.Earned = int(r.Balance), int(r.Balance-r.Spent)
		}
	}
	return nil
}

func (s *Store) rosterCheckins(ctx context.Context, chatID string, p rosterRange, q rules.RosterQuery) error {
	var rows []checkinRow
	latest := s.q(ctx).Model(&checkinRow{}).Select("user_id, MAX(day) AS day").
		Where("chat_id = ? AND user_id BETWEEN ? AND ? AND day <= ?", chatID, p.first, p.last, q.Today).Group("user_id")
	err := s.q(ctx).Table("checkins AS c").Select("c.*").
		Joins("JOIN (?) x ON x.user_id = c.user_id AND x.day = c.day", latest).
		Where("c.chat_id = ? AND c.user_id BETWEEN ? AND ?", chatID, p.first, p.last).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("store: last check-ins in %s: %w", chatID, err)
	}
	for _, r := range rows {
		row := p.row(r.UserID)
		if row == nil {
			continue
		}
		row.LastCheckin = rules.Checkin{ChatID: r.ChatID, UserID: r.UserID, Day: r.Day, Streak: r.Streak,
			Points: r.Points, Makeup: r.Makeup, At: r.CreatedAt.UTC()}
	}
	return nil
}

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
