package store

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/qunbot/qunbot/rules"
)

var _ rules.Ledger = (*Store)(nil)

type ledgerRow struct {
	ID        int64 `gorm:"primaryKey"`
	ChatID    string
	UserID    string
	Delta     int64
	Kind      string
	Reason    string
	Source    string
	Actor     string
	IdemKey   string
	CreatedAt time.Time
}

func (ledgerRow) TableName() string { return "ledger" }

func (r ledgerRow) entry() rules.LedgerEntry {
	return rules.LedgerEntry{ID: r.ID, ChatID: r.ChatID, UserID: r.UserID, Delta: int(r.Delta), Kind: r.Kind,
		Reason: r.Reason, Source: r.Source, Actor: r.Actor, IdemKey: r.IdemKey, At: r.CreatedAt.UTC()}
}

// maxReason keeps a reason inside its varchar(255) column.
const maxReason = 255

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// AddEntry appends a row; a row whose idempotency key is already written is
// not, and added is false (the unique index decides races). A row written
// moves the member's balance and points earned kept on their member row in
// the same transaction, so the row always holds the ledger's sums.
func (s *Store) AddEntry(ctx context.Context, e rules.LedgerEntry) (bool, error) {
	at := e.At
	if at.IsZero() {
		at = s.now()
	}
	// Raw SQL: gorm's Create on MariaDB adds RETURNING, which reports the
	// existing row of a duplicate as affected.
	onDup := " ON CONFLICT (idem_key) DO NOTHING"
	if s.mysql {
		onDup = " ON DUPLICATE KEY UPDATE id = id"
	}
	res := s.q(ctx).Exec("INSERT INTO ledger (chat_id, user_id, delta, kind, reason, source, actor, idem_key, created_at)"+
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"+onDup, e.ChatID, e.UserID, e.Delta, e.Kind, clip(e.Reason, maxReason),
		e.Source, e.Actor, e.IdemKey, dbTime(at))
	if res.Error != nil {
		return false, fmt.Errorf("store: add %s points for %s in %s: %w", e.Kind, e.UserID, e.ChatID, res.Error)
	}
	if res.RowsAffected != 1 {
		return false, nil
	}
	w := memberWrite{ChatID: e.ChatID, UserID: e.UserID, At: at, Points: e.Delta}
	if rules.CountsTowardRank(e.Kind) {
		w.Earned = e.Delta
	}
	return true, s.writeMembers(ctx, []memberWrite{w})
}

// HasEntry reports whether a row with idemKey exists.
func (s *Store) HasEntry(ctx context.Context, idemKey string) (bool, error) {
	var n int64
	if err := s.q(ctx).Model(&ledgerRow{}).Where("idem_key = ?", idemKey).Limit(1).Count(&n).Error; err != nil {
		return false, fmt.Errorf("store: ledger entry %s: %w", idemKey, err)
	}
	return n > 0, nil
}

// Balance is the sum of the member's rows, kept on their member row.
func (s *Store) Balance(ctx context.Context, chatID, userID string) (int, error) {
	points, _, err := s.keptPoints(ctx, chatID, userID, "")
	if err != nil {
		return 0, fmt.Errorf("store: balance of %s in %s: %w", userID, chatID, err)
	}
	return points, nil
}

// EarnedTotal is the sum of the member's rows that are not spending.
func (s *Store) EarnedTotal(ctx context.Context, chatID, userID string) (int, error) {
	_, earned, err := s.keptPoints(ctx, chatID, userID, "")
	if err != nil {
		return 0, fmt.Errorf("store: earned by %s in %s: %w", userID, chatID, err)
	}
	return earned, nil
}

// keptPoints reads the balance and points earned from the member row; a
// member without a row has none. lock is "" or " FOR UPDATE".
func (s *Store) keptPoints(ctx context.Context, chatID, userID, lock string) (points, earned int, err error) {
	var rows []struct{ Points, Earned int64 }
	err = s.q(ctx).Raw("SELECT points, earned FROM members WHERE chat_id = ? AND user_id = ?"+lock, chatID, userID).
		Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return 0, 0, err
	}
	return int(rows[0].Points), int(rows[0].Earned), nil
}

// PeakEarned is the highest running sum of the member's earning rows in the
// order they were written, the row with idemKey left out.
func (s *Store) PeakEarned(ctx context.Context, chatID, userID, idemKey string) (int, error) {
	var peak int64
	err := s.q(ctx).Raw("SELECT COALESCE(MAX(running), 0) FROM (SELECT SUM(delta) OVER (ORDER BY id) AS running"+
		" FROM ledger WHERE chat_id = ? AND user_id = ? AND kind NOT IN ? AND idem_key <> ?) AS sums",
		chatID, userID, rules.SpendKinds, idemKey).Scan(&peak).Error
	if err != nil {
		return 0, fmt.Errorf("store: peak earned by %s in %s: %w", userID, chatID, err)
	}
	return int(peak), nil
}

// Entries are the member's rows (every member's when userID is ""), newest first.
func (s *Store) Entries(ctx context.Context, chatID, userID string, limit int) ([]rules.LedgerEntry, error) {
	q := s.q(ctx).Where("chat_id = ?", chatID)
	if userID != "" {
		q = q.Where("user_id = ?", userID)
	}
	var rows []ledgerRow
	if err := q.Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: ledger of %s in %s: %w", userID, chatID, err)
	}
	out := make([]rules.LedgerEntry, len(rows))
	for i, r := range rows {
		out[i] = r.entry()
	}
	return out, nil
}

// EarnedBy sums each member's earning rows written in [from, to); zero
// bounds mean the whole ledger. Members who left the group are left out
// (their rows stay): leaderboards rank the members present.
func (s *Store) EarnedBy(ctx context.Context, chatID string, from, to time.Time) (map[string]int, error) {
	q := s.q(ctx).Model(&ledgerRow{}).Where("chat_id = ? AND kind NOT IN ?", chatID, rules.SpendKinds).
		Where("NOT EXISTS (SELECT 1 FROM members m WHERE m.chat_id = ledger.chat_id AND m.user_id = ledger.user_id" +
			" AND m.left_at IS NOT NULL)")
	if !from.IsZero() {
		q = q.Where("created_at >= ? AND created_at < ?", dbTime(from), dbTime(to))
	}
	var rows []struct {
		UserID string
		Total  int64
	}
	if err := q.Select("user_id, SUM(delta) AS total").Group("user_id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: earnings in %s: %w", chatID, err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		if r.Total != 0 {
			out[r.UserID] = int(r.Total)
		}
	}
	return out, nil
}

// LockPoints takes the member's row for update (MySQL; the embedded SQLite
// has one writer at a time anyway) and returns the balance as committed.
// Every ledger row moves that row in its transaction, so holding it
// serializes every spender and writer of the member's points; a locking read
// sees the latest commit, where a plain read in a REPEATABLE READ
// transaction would see the snapshot taken at its start.
func (s *Store) LockPoints(ctx context.Context, chatID, userID string) (int, error) {
	lock := ""
	if s.mysql {
		lock = " FOR UPDATE"
	}
	points, _, err := s.keptPoints(ctx, chatID, userID, lock)
	if err != nil {
		return 0, fmt.Errorf("store: locked balance of %s in %s: %w", userID, chatID, err)
	}
	return points, nil
}
