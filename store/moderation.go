package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/qunbot/qunbot/rules"
)

var _ rules.Moderation = (*Store)(nil)

type banwordRow struct {
	ID        int64 `gorm:"primaryKey"`
	ChatID    string
	Pattern   string
	IsRegex   bool
	Actor     string
	CreatedAt time.Time
}

func (banwordRow) TableName() string { return "mod_banwords" }

// Banwords lists chatID's banned words and expressions, oldest first.
func (s *Store) Banwords(ctx context.Context, chatID string) ([]rules.Banword, error) {
	var rows []banwordRow
	if err := s.q(ctx).Where("chat_id = ?", chatID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: banwords of %s: %w", chatID, err)
	}
	out := make([]rules.Banword, len(rows))
	for i, r := range rows {
		out[i] = rules.Banword{ChatID: r.ChatID, Pattern: r.Pattern, Regex: r.IsRegex, Actor: r.Actor}
	}
	return out, nil
}

// AddBanword stores b; added is false when the group already has its pattern.
func (s *Store) AddBanword(ctx context.Context, b rules.Banword, at time.Time) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&banwordRow{}).Where("chat_id = ? AND pattern = ?", b.ChatID, b.Pattern).Count(&n).Error
	if err == nil && n == 0 {
		row := banwordRow{ChatID: b.ChatID, Pattern: b.Pattern, IsRegex: b.Regex, Actor: b.Actor, CreatedAt: dbTime(at)}
		err = s.q(ctx).Create(&row).Error
		if isUnique(err) {
			return false, nil // added by a racing turn
		}
	}
	if err != nil {
		return false, fmt.Errorf("store: add banword in %s: %w", b.ChatID, err)
	}
	return n == 0, nil
}

// DelBanword removes a pattern; removed is false when the group did not have it.
func (s *Store) DelBanword(ctx context.Context, chatID, pattern string) (bool, error) {
	res := s.q(ctx).Where("chat_id = ? AND pattern = ?", chatID, pattern).Delete(&banwordRow{})
	if res.Error != nil {
		return false, fmt.Errorf("store: delete banword in %s: %w", chatID, res.Error)
	}
	return res.RowsAffected > 0, nil
}

type violationRow struct {
	ID        int64 `gorm:"primaryKey"`
	ChatID    string
	UserID    string
	Kind      string
	Reason    string
	Evidence  string
	Source    string
	Actor     string
	Shadow    bool
	CreatedAt time.Time
	RevokedAt *time.Time
	RevokedBy string
}

func (violationRow) TableName() string { return "mod_violations" }

// AddViolation records one violation.
func (s *Store) AddViolation(ctx context.Context, v rules.Violation) error {
	row := violationRow{ChatID: v.ChatID, UserID: v.UserID, Kind: v.Kind, Reason: v.Reason,
		Evidence: v.Evidence, Source: v.Source, Actor: v.Actor, Shadow: v.Shadow, CreatedAt: dbTime(v.At)}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store: add violation of %s in %s: %w", v.UserID, v.ChatID, err)
	}
	return nil
}

// ActiveViolations are userID's unrevoked violations at or after since, newest first.
func (s *Store) ActiveViolations(ctx context.Context, chatID, userID string, since time.Time, shadow bool) ([]rules.Violation, error) {
	var rows []violationRow
	err := s.q(ctx).Where("chat_id = ? AND user_id = ? AND created_at >= ? AND shadow = ? AND revoked_at IS NULL",
		chatID, userID, dbTime(since), shadow).Order("created_at DESC, id DESC").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: violations of %s in %s: %w", userID, chatID, err)
	}
	out := make([]rules.Violation, len(rows))
	for i, r := range rows {
		out[i] = rules.Violation{ID: r.ID, ChatID: r.ChatID, UserID: r.UserID, Kind: r.Kind, Reason: r.Reason,
			Evidence: r.Evidence, Source: r.Source, Actor: r.Actor, Shadow: r.Shadow, At: r.CreatedAt.UTC(),
			RevokedAt: utcPtr(r.RevokedAt)}
	}
	return out, nil
}

// RevokeViolation marks a violation revoked (/unwarn); the row is kept.
func (s *Store) RevokeViolation(ctx context.Context, id int64, actor string, at time.Time) error {
	err := s.q(ctx).Model(&violationRow{}).Where("id = ? AND revoked_at IS NULL", id).
		Updates(map[string]any{"revoked_at": dbTime(at), "revoked_by": actor}).Error
	if err != nil {
		return fmt.Errorf("store: revoke violation %d: %w", id, err)
	}
	return nil
}

type removalRow struct {
	ID        int64 `gorm:"primaryKey"`
	ChatID    string
	UserID    string
	Reason    string
	Evidence  string
	Actor     string
	CreatedAt time.Time
	Decision  string
	Decider   string
	DecidedAt *time.Time
}

func (removalRow) TableName() string { return "mod_removals" }

// AddRemoval records a pending removal and returns its id (the card's key).
func (s *Store) AddRemoval(ctx context.Context, r rules.Removal) (int64, error) {
	row := removalRow{ChatID: r.ChatID, UserID: r.UserID, Reason: r.Reason, Evidence: r.Evidence,
		Actor: r.Actor, CreatedAt: dbTime(r.At)}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return 0, fmt.Errorf("store: add removal of %s in %s: %w", r.UserID, r.ChatID, err)
	}
	return row.ID, nil
}

// Removal reads one removal, or rules.ErrNotFound.
func (s *Store) Removal(ctx context.Context, id int64) (rules.Removal, error) {
	var r removalRow
	err := s.q(ctx).Where("id = ?", id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return rules.Removal{}, rules.ErrNotFound
	}
	if err != nil {
		return rules.Removal{}, fmt.Errorf("store: removal %d: %w", id, err)
	}
	return rules.Removal{ID: r.ID, ChatID: r.ChatID, UserID: r.UserID, Reason: r.Reason, Evidence: r.Evidence,
		Actor: r.Actor, At: r.CreatedAt.UTC(), Decision: r.Decision, Decider: r.Decider, DecidedAt: utcPtr(r.DecidedAt)}, nil
}

// DecideRemoval settles a pending removal once: a conditional update, so of
// two racing clicks exactly one decides.
func (s *Store) DecideRemoval(ctx context.Context, id int64, decision, decider string, at time.Time) (bool, error) {
	res := s.q(ctx).Model(&removalRow{}).Where("id = ? AND decision = ''", id).
		Updates(map[string]any{"decision": decision, "decider": decider, "decided_at": dbTime(at)})
	if res.Error != nil {
		return false, fmt.Errorf("store: decide removal %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}
