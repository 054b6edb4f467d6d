package store

import (
	"time"

	"gorm.io/gorm"
)

func init() { register(Migration{Version: 101, Name: "engagement", Up: upEngagement}) }

// The v101 models below are frozen: never edit them; add a migration instead.

// v101Checkin is one member's check-in of one local day; the primary key is
// what makes a check-in once a day whatever races.
type v101Checkin struct {
	ChatID    string    `gorm:"type:varchar(64);primaryKey"`
	UserID    string    `gorm:"type:varchar(64);primaryKey"`
	Day       string    `gorm:"type:varchar(10);primaryKey"`
	Streak    int       `gorm:"not null"`
	Points    int       `gorm:"not null"`
	Makeup    bool      `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
}

func (v101Checkin) TableName() string { return "checkins" }

// v101MessageMeter is one member's message-points meter: when the last
// message earned, and how many earned on day.
type v101MessageMeter struct {
	ChatID string    `gorm:"type:varchar(64);primaryKey"`
	UserID string    `gorm:"type:varchar(64);primaryKey"`
	Day    string    `gorm:"type:varchar(10);not null"`
	Count  int       `gorm:"not null"`
	LastAt time.Time `gorm:"not null"`
}

func (v101MessageMeter) TableName() string { return "message_meters" }

// v101ShopOrder is one redemption.
type v101ShopOrder struct {
	ID        int64     `gorm:"primaryKey;autoIncrement"`
	ChatID    string    `gorm:"type:varchar(64);not null;index:idx_shop_orders_chat,priority:1"`
	UserID    string    `gorm:"type:varchar(64);not null"`
	Item      string    `gorm:"type:varchar(191);not null"`
	Cost      int       `gorm:"not null"`
	EventID   string    `gorm:"type:varchar(191);not null;uniqueIndex:uniq_shop_orders_event"`
	CreatedAt time.Time `gorm:"not null;index:idx_shop_orders_chat,priority:2"`
}

func (v101ShopOrder) TableName() string { return "shop_orders" }

// v101ShopCount counts redemptions of an item: user_id "" is the whole
// group (against stock), a userid that member (against the limit). Its row
// lock serializes redemptions of one item.
type v101ShopCount struct {
	ChatID string `gorm:"type:varchar(64);primaryKey"`
	Item   string `gorm:"type:varchar(191);primaryKey"`
	UserID string `gorm:"type:varchar(64);primaryKey"`
	N      int    `gorm:"not null"`
}

func (v101ShopCount) TableName() string { return "shop_counts" }

func upEngagement(tx *gorm.DB) error {
	return tx.AutoMigrate(&v101Checkin{}, &v101MessageMeter{}, &v101ShopOrder{}, &v101ShopCount{})
}
