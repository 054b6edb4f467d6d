package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/qunbot/qunbot/rules"
)

type checkinRow struct {
	ChatID    string `gorm:"primaryKey"`
	UserID    string `gorm:"primaryKey"`
	Day       string `gorm:"primaryKey"`
	Streak    int
	Points    int
	Makeup    bool
	CreatedAt time.Time
}

func (checkinRow) TableName() string { return "checkins" }

// LastCheckin is the member's latest check-in on or before day.
func (s *Store) LastCheckin(ctx context.Context, chatID, userID, day string) (rules.Checkin, error) {
	var r checkinRow
	err := s.q(ctx).Where("chat_id = ? AND user_id = ? AND day <= ?", chatID, userID, day).
		Order("day DESC").Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return rules.Checkin{}, rules.ErrNotFound
	}
	if err != nil {
		return rules.Checkin{}, fmt.Errorf("store: last check-in of %s in %s: %w", userID, chatID, err)
	}
	return rules.Checkin{ChatID: r.ChatID, UserID: r.UserID, Day: r.Day, Streak: r.Streak, Points: r.Points,
		Makeup: r.Makeup, At: r.CreatedAt.UTC()}, nil
}

// AddCheckin records a check-in unless the member has one that day; a new
// latest check-in is kept on the member row too.
func (s *Store) AddCheckin(ctx context.Context, c rules.Checkin) (bool, error) {
	row := checkinRow{ChatID: c.ChatID, UserID: c.UserID, Day: c.Day, Streak: c.Streak, Points: c.Points,
		Makeup: c.Makeup, CreatedAt: dbTime(c.At)}
	res := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return false, fmt.Errorf("store: check in %s in %s: %w", c.UserID, c.ChatID, res.Error)
	}
	if res.RowsAffected != 1 {
		return false, nil
	}
	return true, s.writeMembers(ctx, []memberWrite{{ChatID: c.ChatID, UserID: c.UserID, At: c.At, Checkin: &c}})
}

// SetCheckinStreak rewrites one day's streak, on the member row too when it
// is their latest check-in.
func (s *Store) SetCheckinStreak(ctx context.Context, chatID, userID, day string, streak int) error {
	err := s.q(ctx).Model(&checkinRow{}).Where("chat_id = ? AND user_id = ? AND day = ?", chatID, userID, day).
		Update("streak", streak).Error
	if err == nil {
		err = s.q(ctx).Exec("UPDATE members SET checkin_streak = ?, version = version + 1"+
			" WHERE chat_id = ? AND user_id = ? AND checkin_day = ?", streak, chatID, userID, day).Error
	}
	if err != nil {
		return fmt.Errorf("store: streak of %s in %s: %w", userID, chatID, err)
	}
	s.touch(chatID, userID)
	return nil
}

// TakeMessageSlot grants a slot with one conditional UPDATE of the meter on
// the member row, so two messages racing each other can never both pass the
// cooldown or the cap. meter_count is assigned before meter_day: MySQL
// evaluates assignments left to right. A member without a row gets one.
func (s *Store) TakeMessageSlot(ctx context.Context, m rules.MessageSlot) (bool, error) {
	if err := s.TouchMember(ctx, m.ChatID, m.UserID, m.At); err != nil {
		return false, err
	}
	at := dbTime(m.At)
	res := s.q(ctx).Exec("UPDATE members SET meter_count = CASE WHEN meter_day = ? THEN meter_count + 1 ELSE 1 END,"+
		" meter_day = ?, meter_last = ?, version = version + 1"+
		" WHERE chat_id = ? AND user_id = ? AND (meter_last IS NULL OR meter_last <= ?) AND (meter_day <> ? OR meter_count < ?)",
		m.Day, m.Day, at, m.ChatID, m.UserID, at.Add(-m.Cooldown), m.Day, m.DailyCap)
	if res.Error != nil {
		return false, fmt.Errorf("store: message slot of %s in %s: %w", m.UserID, m.ChatID, res.Error)
	}
	s.touch(m.ChatID, m.UserID)
	return res.RowsAffected == 1, nil
}
