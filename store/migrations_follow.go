package store

import (
	"time"

	"gorm.io/gorm"
)

func init() {
	register(Migration{Version: 700, Name: "schedules", Up: upSchedules})
	register(Migration{Version: 701, Name: "order_states", Up: upOrderStates})
	register(Migration{Version: 702, Name: "last_message", Up: upLastMessage})
}

// The v70x models below are frozen: never edit them; add a migration instead.

// v700Schedule is one scheduled post (/schedule).
type v700Schedule struct {
	ID        int64     `gorm:"primaryKey;autoIncrement"`
	ChatID    string    `gorm:"type:varchar(64);not null;index:idx_schedules_chat"`
	Spec      string    `gorm:"type:varchar(128);not null"`
	Text      string    `gorm:"type:text;not null"`
	CreatedBy string    `gorm:"type:varchar(64);not null"`
	CreatedAt time.Time `gorm:"not null"`
}

func (v700Schedule) TableName() string { return "schedules" }

// v700SchedulerPass records when a scheduler last looked for due runs, so
// that one starting after an outage can log what it will not make up.
type v700SchedulerPass struct {
	Name     string    `gorm:"type:varchar(64);primaryKey"`
	PassedAt time.Time `gorm:"not null"`
}

func (v700SchedulerPass) TableName() string { return "scheduler_passes" }

func upSchedules(tx *gorm.DB) error {
	return tx.AutoMigrate(&v700Schedule{}, &v700SchedulerPass{})
}

// v701ShopOrder adds an order's state: pending until an admin marks it
// done or refunds it, with who did and when. Orders from before are pending.
type v701ShopOrder struct {
	ID        int64      `gorm:"primaryKey;autoIncrement;index:idx_shop_orders_status,priority:3"`
	ChatID    string     `gorm:"type:varchar(64);not null;index:idx_shop_orders_status,priority:1"`
	Status    string     `gorm:"type:varchar(16);not null;default:pending;index:idx_shop_orders_status,priority:2"`
	DecidedBy string     `gorm:"type:varchar(64);not null;default:''"`
	DecidedAt *time.Time `gorm:""`
	Reason    string     `gorm:"type:varchar(255);not null;default:''"`
}

func (v701ShopOrder) TableName() string { return "shop_orders" }

func upOrderStates(tx *gorm.DB) error {
	m := tx.Migrator()
	for _, f := range []string{"Status", "DecidedBy", "DecidedAt", "Reason"} {
		if err := m.AddColumn(&v701ShopOrder{}, f); err != nil {
			return err
		}
	}
	return m.CreateIndex(&v701ShopOrder{}, "idx_shop_orders_status")
}

// v702StatMemberDay adds the time of the member's latest message of the
// day, written with the count: a member's last_message_at is read from the
// row of their last day (stat_members.last_day).
type v702StatMemberDay struct {
	LastAt *time.Time
}

func (v702StatMemberDay) TableName() string { return "stat_member_days" }

func upLastMessage(tx *gorm.DB) error {
	return tx.Migrator().AddColumn(&v702StatMemberDay{}, "LastAt")
}
