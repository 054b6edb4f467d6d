package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/qunbot/qunbot/rules"
)

var _ rules.Orders = (*Store)(nil)

func (r shopOrderRow) order() rules.Order {
	return rules.Order{ID: r.ID, ChatID: r.ChatID, UserID: r.UserID, Item: r.Item, Cost: r.Cost, EventID: r.EventID,
		At: r.CreatedAt.UTC(), Status: r.Status, DecidedBy: r.DecidedBy, DecidedAt: utcPtr(r.DecidedAt), Reason: r.Reason}
}

// Orders are a group's orders as q selects them, newest first.
func (s *Store) Orders(ctx context.Context, chatID string, q rules.OrderQuery) ([]rules.Order, error) {
	db := s.q(ctx).Where("chat_id = ?", chatID)
	if q.Status != "" {
		db = db.Where("status = ?", q.Status)
	}
	if q.UserID != "" {
		db = db.Where("user_id = ?", q.UserID)
	}
	var rows []shopOrderRow
	if err := db.Order("id DESC").Limit(q.Limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: orders of %s: %w", chatID, err)
	}
	out := make([]rules.Order, len(rows))
	for i, r := range rows {
		out[i] = r.order()
	}
	return out, nil
}

// Order is one order, or rules.ErrNotFound.
func (s *Store) Order(ctx context.Context, id int64) (rules.Order, error) {
	return takeByID(ctx, s, id, "order", shopOrderRow.order)
}

// takeByID reads the row of table R with id and converts it;
// rules.ErrNotFound when there is none.
func takeByID[R, T any](ctx context.Context, s *Store, id int64, what string, conv func(R) T) (T, error) {
	var row R
	err := s.q(ctx).Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		var zero T
		return zero, rules.ErrNotFound
	}
	if err != nil {
		var zero T
		return zero, fmt.Errorf("store: %s %d: %w", what, id, err)
	}
	return conv(row), nil
}

// SettleOrder moves the order to `to` if it is in one of from: a
// compare-and-set, so of two admins settling it at once exactly one does.
func (s *Store) SettleOrder(ctx context.Context, id int64, from []string, to, by, reason string, at time.Time) (bool, error) {
	res := s.q(ctx).Model(&shopOrderRow{}).Where("id = ? AND status IN ?", id, from).
		Updates(map[string]any{"status": to, "decided_by": by, "decided_at": dbTime(at), "reason": clip(reason, maxReason)})
	if res.Error != nil {
		return false, fmt.Errorf("store: settle order %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ReturnStock takes one redemption of item back from the group's and the
// member's counts.
func (s *Store) ReturnStock(ctx context.Context, chatID, item, userID string) error {
	return s.countOrder(ctx, chatID, item, userID, "CASE WHEN n > 0 THEN n - 1 ELSE 0 END")
}
