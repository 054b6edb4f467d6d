package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/qunbot/qunbot/rules"
)

// archiveCursorName names the message archive's cursor row.
const archiveCursorName = "msgaudit"

type archiveCursorRow struct {
	Name      string `gorm:"primaryKey"`
	Seq       int64
	UpdatedAt time.Time
}

func (archiveCursorRow) TableName() string { return "archive_cursor" }

// ArchiveCursor is the seq the archive puller handled everything up to (0
// before the first pull).
func (s *Store) ArchiveCursor(ctx context.Context) (int64, error) {
	var row archiveCursorRow
	err := s.q(ctx).Where("name = ?", archiveCursorName).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: archive cursor: %w", unavailable(err))
	}
	return row.Seq, nil
}

// SaveArchiveCursor moves the cursor forward to seq; a smaller seq (a
// replica that lost its lease and finished late) leaves it where it is.
func (s *Store) SaveArchiveCursor(ctx context.Context, seq int64) error {
	now := dbTime(s.now())
	if err := s.insertNew(ctx, &archiveCursorRow{Name: archiveCursorName, Seq: 0, UpdatedAt: now}); err != nil {
		return fmt.Errorf("store: archive cursor: %w", unavailable(err))
	}
	err := s.q(ctx).Model(&archiveCursorRow{}).Where("name = ? AND seq < ?", archiveCursorName, seq).
		Updates(map[string]any{"seq": seq, "updated_at": now}).Error
	if err != nil {
		return fmt.Errorf("store: save archive cursor %d: %w", seq, unavailable(err))
	}
	return nil
}

type messagePrintRow struct {
	EventID string `gorm:"primaryKey"`
	ChatID  string
	UserID  string
	Digest  string
	MsgAt   time.Time
	Source  string
	Pairs   *string
}

func (messagePrintRow) TableName() string { return "message_prints" }

func printRow(p rules.MessagePrint) messagePrintRow {
	row := messagePrintRow{EventID: p.EventID, ChatID: p.ChatID, UserID: p.UserID, Digest: p.Digest,
		MsgAt: dbTime(p.At), Source: p.Source}
	if p.Pairs != "" {
		row.Pairs = &p.Pairs
	}
	return row
}

// RecordPrint writes a message's print with the turn's effects. A print that
// pairs one another print paired first breaks the unique key on pairs.
func (s *Store) RecordPrint(ctx context.Context, p rules.MessagePrint) error {
	row := printRow(p)
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store: record print of %s: %w", p.EventID, err)
	}
	return nil
}

// MatchPrint finds the earliest unpaired print of the other source that
// matches p within window (rules.Prints).
func (s *Store) MatchPrint(ctx context.Context, p rules.MessagePrint, window time.Duration) (string, error) {
	var id string
	found := false
	err := s.queryRows(ctx, func(rows *sql.Rows) error {
		found = true
		return rows.Scan(&id)
	}, `SELECT p.event_id FROM message_prints p
WHERE p.chat_id = ? AND p.user_id = ? AND p.digest = ? AND p.source <> ? AND p.msg_at BETWEEN ? AND ?
  AND p.pairs IS NULL AND p.event_id <> ?
  AND NOT EXISTS (SELECT 1 FROM message_prints q WHERE q.pairs = p.event_id)
ORDER BY p.msg_at, p.event_id LIMIT 1`,
		p.ChatID, p.UserID, p.Digest, p.Source, dbTime(p.At.Add(-window)), dbTime(p.At.Add(window)), p.EventID)
	if err != nil {
		return "", fmt.Errorf("store: match print of %s: %w", p.EventID, unavailable(err))
	}
	if !found {
		return "", rules.ErrNotFound
	}
	return id, nil
}

// RedactEvidence replaces the evidence of a recalled message (eventID, and
// the other copy it was paired with) in the modlog and the violations.
func (s *Store) RedactEvidence(ctx context.Context, chatID, eventID, text string) error {
	ids := []string{eventID}
	err := s.queryRows(ctx, func(rows *sql.Rows) error {
		var id string
		err := rows.Scan(&id)
		ids = append(ids, id)
		return err
	}, `SELECT pairs FROM message_prints WHERE event_id = ? AND pairs IS NOT NULL
UNION SELECT event_id FROM message_prints WHERE pairs = ?`, eventID, eventID)
	if err != nil {
		return fmt.Errorf("store: prints of %s: %w", eventID, err)
	}
	for _, table := range []string{"modlog", "mod_violations"} {
		err := s.q(ctx).Table(table).Where("chat_id = ? AND source IN ?", chatID, ids).Update("evidence", text).Error
		if err != nil {
			return fmt.Errorf("store: redact %s evidence of %s: %w", table, eventID, err)
		}
	}
	return nil
}

// insertPrints writes the prints of a batch's journals (the group commit).
func (s *Store) insertPrints(ctx context.Context, batch []*pendingCommit) error {
	var rows []messagePrintRow
	for _, p := range batch {
		if p.j.Print != nil {
			rows = append(rows, printRow(*p.j.Print))
		}
	}
	if len(rows) == 0 {
		return nil
	}
	err := s.insertRows(ctx, "message_prints", "event_id, chat_id, user_id, digest, msg_at, source, pairs",
		"(?, ?, ?, ?, ?, ?, ?)", len(rows), func(i int) []any {
			r := rows[i]
			return []any{r.EventID, r.ChatID, r.UserID, r.Digest, r.MsgAt, r.Source, r.Pairs}
		}, "")
	return err
}

// PrunePrints forgets prints of messages older than olderThan: a copy
// arrives within MatchWindow of its original, or never.
func (s *Store) PrunePrints(ctx context.Context, olderThan time.Time) (int64, error) {
	res := s.q(ctx).Where("msg_at < ?", dbTime(olderThan)).Delete(&messagePrintRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: prune prints: %w", res.Error)
	}
	return res.RowsAffected, nil
}

var (
	_ rules.Prints = (*Store)(nil)
)
