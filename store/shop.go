package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/qunbot/qunbot/rules"
)

type shopOrderRow struct {
	ID        int64 `gorm:"primaryKey"`
	ChatID    string
	UserID    string
	Item      string
	Cost      int
	EventID   string
	CreatedAt time.Time
	Status    string
	DecidedBy string
	DecidedAt *time.Time
	Reason    string
}

func (shopOrderRow) TableName() string { return "shop_orders" }

type shopCountRow struct {
	ChatID string `gorm:"primaryKey"`
	Item   string `gorm:"primaryKey"`
	UserID string `gorm:"primaryKey"`
	N      int
}

func (shopCountRow) TableName() string { return "shop_counts" }

// ShopUsage creates the item's counters if needed and reads them; on MySQL
// it locks them (the group's row first, always in that order), so stock and
// limit checks hold until the redemption commits.
func (s *Store) ShopUsage(ctx context.Context, chatID, item, userID string) (sold, mine int, err error) {
	rows := []shopCountRow{{ChatID: chatID, Item: item}, {ChatID: chatID, Item: item, UserID: userID}}
	if err := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error; err != nil {
		return 0, 0, fmt.Errorf("store: shop counters of %s in %s: %w", item, chatID, err)
	}
	lock := ""
	if s.mysql {
		lock = " FOR UPDATE"
	}
	var got []shopCountRow
	err = s.q(ctx).Raw("SELECT * FROM shop_counts WHERE chat_id = ? AND item = ? AND user_id IN (?, ?) ORDER BY user_id"+lock,
		chatID, item, "", userID).Scan(&got).Error
	if err != nil {
		return 0, 0, fmt.Errorf("store: shop usage of %s in %s: %w", item, chatID, err)
	}
	for _, r := range got {
		if r.UserID == "" {
			sold = r.N
		} else {
			mine = r.N
		}
	}
	return sold, mine, nil
}

// AddOrder records a redemption, pending, counts it for the group and the
// member, and returns its number.
func (s *Store) AddOrder(ctx context.Context, o rules.Order) (int64, error) {
	row := shopOrderRow{ChatID: o.ChatID, UserID: o.UserID, Item: o.Item, Cost: o.Cost, EventID: o.EventID,
		CreatedAt: dbTime(o.At), Status: rules.OrderPending}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return 0, fmt.Errorf("store: order %s for %s in %s: %w", o.Item, o.UserID, o.ChatID, err)
	}
	if err := s.countOrder(ctx, o.ChatID, o.Item, o.UserID, "n + 1"); err != nil {
		return 0, err
	}
	return row.ID, nil
}

// countOrder moves the item's group and member counts (ShopUsage) by expr.
func (s *Store) countOrder(ctx context.Context, chatID, item, userID, expr string) error {
	err := s.q(ctx).Model(&shopCountRow{}).Where("chat_id = ? AND item = ? AND user_id IN (?, ?)", chatID, item, "", userID).
		Update("n", clause.Expr{SQL: expr}).Error
	if err != nil {
		return fmt.Errorf("store: count order %s in %s: %w", item, chatID, err)
	}
	return nil
}
