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

type memberRow struct {
	ChatID         string `gorm:"primaryKey"`
	UserID         string `gorm:"primaryKey"`
	JoinedAt       *time.Time
	JoinScene      int
	Inviter        string
	LeftAt         *time.Time
	Removed        bool
	ProbationUntil *time.Time
	MutedUntil     *time.Time
	Approved       bool
	FirstSeen      time.Time
	UpdatedAt      time.Time
	// The state kept on the row (migrations_hot.go, member_write.go).
	Points        int64
	Earned        int64
	Version       int64
	MeterDay      string
	MeterCount    int
	MeterLast     *time.Time
	CheckinDay    string
	CheckinStreak int
	SpokeDay      string
}

func (memberRow) TableName() string { return "members" }

type directoryRow struct {
	UserID    string `gorm:"primaryKey"`
	Name      string
	UpdatedAt time.Time
}

func (directoryRow) TableName() string { return "directory" }

// memberView is a member row joined with its directory name.
type memberView struct {
	Row  memberRow `gorm:"embedded"`
	Name *string
}

func (v memberView) member() rules.Member {
	r := v.Row
	m := rules.Member{ChatID: r.ChatID, UserID: r.UserID, JoinedAt: utcPtr(r.JoinedAt),
		JoinScene: r.JoinScene, Inviter: r.Inviter, LeftAt: utcPtr(r.LeftAt), Removed: r.Removed,
		ProbationUntil: utcPtr(r.ProbationUntil), MutedUntil: utcPtr(r.MutedUntil), Approved: r.Approved}
	if v.Name != nil {
		m.Name = *v.Name
	}
	return m
}

func (s *Store) memberQuery(ctx context.Context) *gorm.DB {
	return s.q(ctx).Table("members AS m").Select("m.*, d.name AS name").
		Joins("LEFT JOIN directory d ON d.user_id = m.user_id")
}

// Member returns one member with its directory name, or rules.ErrNotFound.
func (s *Store) Member(ctx context.Context, chatID, userID string) (rules.Member, error) {
	var v memberView
	err := s.memberQuery(ctx).Where("m.chat_id = ? AND m.user_id = ?", chatID, userID).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) && s.mysql && s.touched[memberKey{chatID, userID}] {
		// This transaction just recorded the member (TouchMember), but under
		// REPEATABLE READ a row another transaction committed after this one
		// began (two first messages of a new member at once) is not in its
		// snapshot; a locking read sees it. Only after the insert: a locking
		// read of a row not yet there takes a gap lock that two such
		// transactions would deadlock on.
		var vs []memberView
		err = s.q(ctx).Raw("SELECT m.*, d.name AS name FROM members AS m LEFT JOIN directory d ON d.user_id = m.user_id"+
			" WHERE m.chat_id = ? AND m.user_id = ? LOCK IN SHARE MODE", chatID, userID).Scan(&vs).Error
		if err == nil && len(vs) == 1 {
			return vs[0].member(), nil
		}
		if err == nil {
			err = gorm.ErrRecordNotFound
		}
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return rules.Member{}, rules.ErrNotFound
	}
	if err != nil {
		return rules.Member{}, fmt.Errorf("store: member %s in %s: %w", userID, chatID, err)
	}
	return v.member(), nil
}

// TouchMember records that userID was seen in chatID. A new row gets
// first_seen = joined_at = at; an existing row keeps every field.
func (s *Store) TouchMember(ctx context.Context, chatID, userID string, at time.Time) error {
	t := dbTime(at)
	row := memberRow{ChatID: chatID, UserID: userID, JoinedAt: &t, FirstSeen: t, UpdatedAt: t, Version: 1}
	if err := s.insertNew(ctx, &row); err != nil {
		return fmt.Errorf("store: touch member %s in %s: %w", userID, chatID, err)
	}
	s.touch(chatID, userID)
	return nil
}

// memberFields are the columns SaveMember writes; first_seen and the kept
// state are left as they are, and the version moves on.
var memberFields = func() clause.Set {
	set := clause.AssignmentColumns([]string{"joined_at", "join_scene", "inviter", "left_at", "removed",
		"probation_until", "muted_until", "approved", "updated_at"})
	return append(set, clause.Assignment{Column: clause.Column{Name: "version"}, Value: gorm.Expr("version + 1")})
}()

// SaveMember writes every field of m except Name (use SetName), creating the
// row if needed (first_seen = joined_at, or now).
func (s *Store) SaveMember(ctx context.Context, m rules.Member) error {
	now := dbTime(s.now())
	row := memberRow{ChatID: m.ChatID, UserID: m.UserID, JoinedAt: dbTimePtr(m.JoinedAt),
		JoinScene: m.JoinScene, Inviter: m.Inviter, LeftAt: dbTimePtr(m.LeftAt), Removed: m.Removed,
		ProbationUntil: dbTimePtr(m.ProbationUntil), MutedUntil: dbTimePtr(m.MutedUntil),
		Approved: m.Approved, FirstSeen: now, UpdatedAt: now, Version: 1}
	if row.JoinedAt != nil {
		row.FirstSeen = *row.JoinedAt
	}
	err := s.q(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "chat_id"}, {Name: "user_id"}}, DoUpdates: memberFields,
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("store: save member %s in %s: %w", m.UserID, m.ChatID, err)
	}
	s.touch(m.ChatID, m.UserID)
	return nil
}

// MembersNamed returns the members of chatID (current and past) whose
// directory name is exactly name, current members first, then by userid.
func (s *Store) MembersNamed(ctx context.Context, chatID, name string) ([]rules.Member, error) {
	var vs []memberView
	err := s.memberQuery(ctx).Where("m.chat_id = ? AND d.name = ?", chatID, name).
		Order("CASE WHEN m.left_at IS NULL THEN 0 ELSE 1 END, m.user_id").Find(&vs).Error
	if err != nil {
		return nil, fmt.Errorf("store: members named %q in %s: %w", name, chatID, err)
	}
	out := make([]rules.Member, len(vs))
	for i, v := range vs {
		out[i] = v.member()
	}
	return out, nil
}

// UsersNamed returns up to limit userids whose directory name is name.
func (s *Store) UsersNamed(ctx context.Context, name string, limit int) ([]string, error) {
	var ids []string
	err := s.q(ctx).Model(&directoryRow{}).Where("name = ?", name).Order("user_id").Limit(limit).Pluck("user_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("store: users named %q: %w", name, err)
	}
	return ids, nil
}

// SetName records userID's display name, cut to rules.MaxNameLen: names come
// from WeCom, and one too long for its column must not fail every read-back.
func (s *Store) SetName(ctx context.Context, userID, name string, at time.Time) error {
	row := directoryRow{UserID: userID, Name: clip(name, rules.MaxNameLen), UpdatedAt: dbTime(at)}
	if err := s.upsert(ctx, &row, []string{"user_id"}, []string{"name", "updated_at"}); err != nil {
		return fmt.Errorf("store: set name of %s: %w", userID, err)
	}
	s.names.forget(userID)
	return nil
}

// Name returns userID's display name, or rules.ErrNotFound.
func (s *Store) Name(ctx context.Context, userID string) (string, error) {
	var row directoryRow
	err := s.q(ctx).Where("user_id = ?", userID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", rules.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: name of %s: %w", userID, err)
	}
	return row.Name, nil
}
