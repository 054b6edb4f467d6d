package store

import (
	"time"

	"gorm.io/gorm"
)

func init() { register(Migration{Version: 601, Name: "held_events", Up: upHeldEvents}) }

// The v601 model below is frozen: never edit it; add a migration instead.

// v601HeldEvent is a 智能机器人 message answered empty before it was
// decided, kept until its late answer is queued (rules/held.go).
type v601HeldEvent struct {
	EventID   string    `gorm:"type:varchar(191);primaryKey"`
	Payload   string    `gorm:"type:mediumtext;not null"`
	CreatedAt time.Time `gorm:"not null;index:idx_held_events_created_at"`
}

func (v601HeldEvent) TableName() string { return "held_events" }

func upHeldEvents(tx *gorm.DB) error { return tx.AutoMigrate(&v601HeldEvent{}) }
