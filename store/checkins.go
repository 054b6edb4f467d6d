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

// AddCheckin records a check-in unless the member has one that day.
func (s *Store) AddCheckin(ctx context.Context, c rules.Checkin) (bool, error) {
	row := checkinRow{ChatID: c.ChatID, UserID: c.UserID, Day: c.Day, Streak: c.Streak, Points: c.Points,
		Makeup: c.Makeup, CreatedAt: dbTime(c.At)}
	res := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return false, fmt.Errorf("store: check in %s in %s: %w", c.UserID, c.ChatID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// SetCheckinStreak rewrites one day's streak.
func (s *Store) SetCheckinStreak(ctx context.Context, chatID, userID, day string, streak int) error {
	err := s.q(ctx).Model(&checkinRow{}).Where("chat_id = ? AND user_id = ? AND day = ?", chatID, userID, day).
		Update("streak", streak).Error
	if err != nil {
		return fmt.Errorf("store: streak of %s in %s: %w", userID, chatID, err)
	}
	return nil
}

// meterStart is last_at of a meter that never granted.
var meterStart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

type meterRow struct {
	ChatID string `gorm:"primaryKey"`
	UserID string `gorm:"primaryKey"`
	Day    string
	Count  int
	LastAt time.Time
}

func (meterRow) TableName() string { return "message_meters" }

// TakeMessageSlot grants a slot with one conditional UPDATE, so two messages
// racing each other can never both pass the cooldown or the cap. count is
// assigned before day: MySQL evaluates assignments left to right.
func (s *Store) TakeMessageSlot(ctx context.Context, m rules.MessageSlot) (bool, error) {
	row := meterRow{ChatID: m.ChatID, UserID: m.UserID, LastAt: meterStart}
	if err := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return false, fmt.Errorf("store: message meter of %s in %s: %w", m.UserID, m.ChatID, err)
	}
	at := dbTime(m.At)
	res := s.q(ctx).Exec("UPDATE message_meters SET count = CASE WHEN day = ? THEN count + 1 ELSE 1 END, day = ?, last_at = ?"+
		" WHERE chat_id = ? AND user_id = ? AND last_at <= ? AND (day <> ? OR count < ?)",
		m.Day, m.Day, at, m.ChatID, m.UserID, at.Add(-m.Cooldown), m.Day, m.DailyCap)
	if res.Error != nil {
		return false, fmt.Errorf("store: message slot of %s in %s: %w", m.UserID, m.ChatID, res.Error)
	}
	return res.RowsAffected == 1, nil
}
