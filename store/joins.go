package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/qunbot/qunbot/rules"
)

var _ rules.Joins = (*Store)(nil)

type joinRow struct {
	ID           int64 `gorm:"primaryKey"`
	ChatID       string
	UserID       string
	EventID      string
	JoinedAt     time.Time
	Scene        int
	Inviter      string
	InviterKnown bool
	Credited     int
	Welcomed     bool
	Quiz         string
	QuizDue      *time.Time
	LeftAt       *time.Time
	Owes         bool
}

func (joinRow) TableName() string { return "member_joins" }

func toJoinRow(j rules.Join) joinRow {
	return joinRow{ID: j.ID, ChatID: j.ChatID, UserID: j.UserID, EventID: j.EventID, JoinedAt: dbTime(j.JoinedAt),
		Scene: j.Scene, Inviter: j.Inviter, InviterKnown: j.InviterKnown, Credited: j.Credited,
		Welcomed: j.Welcomed, Quiz: j.Quiz, QuizDue: dbTimePtr(j.QuizDue), LeftAt: dbTimePtr(j.LeftAt), Owes: j.Owes()}
}

func (r joinRow) join() rules.Join {
	return rules.Join{ID: r.ID, ChatID: r.ChatID, UserID: r.UserID, EventID: r.EventID, JoinedAt: r.JoinedAt.UTC(),
		Scene: r.Scene, Inviter: r.Inviter, InviterKnown: r.InviterKnown, Credited: r.Credited,
		Welcomed: r.Welcomed, Quiz: r.Quiz, QuizDue: utcPtr(r.QuizDue), LeftAt: utcPtr(r.LeftAt)}
}

// AddJoin records a join once per (event, user).
func (s *Store) AddJoin(ctx context.Context, j rules.Join) (bool, error) {
	row := toJoinRow(j)
	row.ID = 0
	err := s.q(ctx).Create(&row).Error
	if isUnique(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: add join of %s to %s: %w", j.UserID, j.ChatID, err)
	}
	return true, nil
}

// SaveJoin writes every field of a recorded join.
func (s *Store) SaveJoin(ctx context.Context, j rules.Join) error {
	if j.ID == 0 {
		return fmt.Errorf("store: save join of %s to %s: no id", j.UserID, j.ChatID)
	}
	if err := s.q(ctx).Select("*").Save(toJoinRow(j)).Error; err != nil {
		return fmt.Errorf("store: save join %d: %w", j.ID, err)
	}
	return nil
}

// LatestJoin is the member's most recent join in the group.
func (s *Store) LatestJoin(ctx context.Context, chatID, userID string) (rules.Join, error) {
	var row joinRow
	err := s.q(ctx).Where("chat_id = ? AND user_id = ?", chatID, userID).Order("id DESC").Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return rules.Join{}, rules.ErrNotFound
	}
	if err != nil {
		return rules.Join{}, fmt.Errorf("store: latest join of %s to %s: %w", userID, chatID, err)
	}
	return row.join(), nil
}

// OpenJoins are the group's joins that still owe something, oldest first.
func (s *Store) OpenJoins(ctx context.Context, chatID string) ([]rules.Join, error) {
	var rows []joinRow
	if err := s.q(ctx).Where("chat_id = ? AND owes = ?", chatID, true).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: open joins of %s: %w", chatID, err)
	}
	out := make([]rules.Join, len(rows))
	for i, r := range rows {
		out[i] = r.join()
	}
	return out, nil
}

// PresentMembers are the group's members who have not left, by userid.
func (s *Store) PresentMembers(ctx context.Context, chatID string) ([]rules.Member, error) {
	var vs []memberView
	err := s.memberQuery(ctx).Where("m.chat_id = ? AND m.left_at IS NULL", chatID).Order("m.user_id").Find(&vs).Error
	if err != nil {
		return nil, fmt.Errorf("store: present members of %s: %w", chatID, err)
	}
	out := make([]rules.Member, len(vs))
	for i, v := range vs {
		out[i] = v.member()
	}
	return out, nil
}

type memVersionRow struct {
	ChatID    string `gorm:"primaryKey"`
	Version   string
	UpdatedAt time.Time
}

func (memVersionRow) TableName() string { return "member_versions" }

// MemVersion is the group's last stored CurMemVer, "" when none.
func (s *Store) MemVersion(ctx context.Context, chatID string) (string, error) {
	var row memVersionRow
	err := s.q(ctx).Where("chat_id = ?", chatID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: member version of %s: %w", chatID, err)
	}
	return row.Version, nil
}

// SetMemVersion stores the group's CurMemVer.
func (s *Store) SetMemVersion(ctx context.Context, chatID, version string, at time.Time) error {
	row := memVersionRow{ChatID: chatID, Version: version, UpdatedAt: dbTime(at)}
	if err := s.upsert(ctx, &row, []string{"chat_id"}, []string{"version", "updated_at"}); err != nil {
		return fmt.Errorf("store: set member version of %s: %w", chatID, err)
	}
	return nil
}
