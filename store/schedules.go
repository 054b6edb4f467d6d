package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/qunbot/qunbot/rules"
)

var _ rules.Schedules = (*Store)(nil)

type scheduleRow struct {
	ID        int64 `gorm:"primaryKey"`
	ChatID    string
	Spec      string
	Text      string
	CreatedBy string
	CreatedAt time.Time
}

func (scheduleRow) TableName() string { return "schedules" }

func (r scheduleRow) schedule() rules.Schedule {
	return rules.Schedule{ID: r.ID, ChatID: r.ChatID, Spec: r.Spec, Text: r.Text, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.UTC()}
}

// AddSchedule records a scheduled post and returns its id.
func (s *Store) AddSchedule(ctx context.Context, p rules.Schedule) (int64, error) {
	row := scheduleRow{ChatID: p.ChatID, Spec: p.Spec, Text: p.Text, CreatedBy: p.CreatedBy, CreatedAt: dbTime(p.CreatedAt)}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return 0, fmt.Errorf("store: add schedule in %s: %w", p.ChatID, err)
	}
	return row.ID, nil
}

// Schedules are a group's scheduled posts ("" for every group's), oldest first.
func (s *Store) Schedules(ctx context.Context, chatID string) ([]rules.Schedule, error) {
	q := s.q(ctx)
	if chatID != "" {
		q = q.Where("chat_id = ?", chatID)
	}
	var rows []scheduleRow
	if err := q.Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: schedules of %q: %w", chatID, err)
	}
	out := make([]rules.Schedule, len(rows))
	for i, r := range rows {
		out[i] = r.schedule()
	}
	return out, nil
}

// Schedule is one scheduled post, or rules.ErrNotFound.
func (s *Store) Schedule(ctx context.Context, id int64) (rules.Schedule, error) {
	return takeByID(ctx, s, id, "schedule", scheduleRow.schedule)
}

// DelSchedule deletes a group's scheduled post.
func (s *Store) DelSchedule(ctx context.Context, chatID string, id int64) (bool, error) {
	res := s.q(ctx).Where("chat_id = ? AND id = ?", chatID, id).Delete(&scheduleRow{})
	if res.Error != nil {
		return false, fmt.Errorf("store: delete schedule %d in %s: %w", id, chatID, res.Error)
	}
	return res.RowsAffected > 0, nil
}

type schedulerPassRow struct {
	Name     string `gorm:"primaryKey"`
	PassedAt time.Time
}

func (schedulerPassRow) TableName() string { return "scheduler_passes" }

// schedulerPassName is the one row every replica's scheduler writes: the
// last pass of any of them.
const schedulerPassName = "scheduler"

// LastSchedulerPass is when a scheduler last looked for due runs; ok is
// false before the first pass ever.
func (s *Store) LastSchedulerPass(ctx context.Context) (at time.Time, ok bool, err error) {
	var row schedulerPassRow
	err = s.q(ctx).Where("name = ?", schedulerPassName).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: last scheduler pass: %w", err)
	}
	return row.PassedAt.UTC(), true, nil
}

// SetSchedulerPass records a scheduler pass at at.
func (s *Store) SetSchedulerPass(ctx context.Context, at time.Time) error {
	row := schedulerPassRow{Name: schedulerPassName, PassedAt: dbTime(at)}
	if err := s.upsert(ctx, &row, []string{"name"}, []string{"passed_at"}); err != nil {
		return fmt.Errorf("store: record scheduler pass: %w", err)
	}
	return nil
}
