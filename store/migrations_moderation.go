package store

import (
	"time"

	"gorm.io/gorm"
)

func init() { register(Migration{Version: 200, Name: "moderation", Up: upModeration}) }

// The v200 models below are frozen: never edit them; add a migration instead.

type v200Banword struct {
	ID        int64     `gorm:"primaryKey;autoIncrement"`
	ChatID    string    `gorm:"type:varchar(64);not null;uniqueIndex:uniq_mod_banwords_chat_pattern,priority:1"`
	Pattern   string    `gorm:"type:varchar(255);not null;uniqueIndex:uniq_mod_banwords_chat_pattern,priority:2"`
	IsRegex   bool      `gorm:"not null"`
	Actor     string    `gorm:"type:varchar(64);not null"`
	CreatedAt time.Time `gorm:"not null"`
}

func (v200Banword) TableName() string { return "mod_banwords" }

type v200Violation struct {
	ID        int64     `gorm:"primaryKey;autoIncrement"`
	ChatID    string    `gorm:"type:varchar(64);not null;index:idx_mod_violations_member,priority:1"`
	UserID    string    `gorm:"type:varchar(64);not null;index:idx_mod_violations_member,priority:2"`
	Kind      string    `gorm:"type:varchar(32);not null"`
	Reason    string    `gorm:"type:text;not null"`
	Evidence  string    `gorm:"type:text;not null"`
	Source    string    `gorm:"type:varchar(191);not null"`
	Actor     string    `gorm:"type:varchar(64);not null"`
	Shadow    bool      `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null;index:idx_mod_violations_member,priority:3"`
	RevokedAt *time.Time
	RevokedBy string `gorm:"type:varchar(64);not null"`
}

func (v200Violation) TableName() string { return "mod_violations" }

type v200Removal struct {
	ID        int64     `gorm:"primaryKey;autoIncrement"`
	ChatID    string    `gorm:"type:varchar(64);not null;index:idx_mod_removals_chat"`
	UserID    string    `gorm:"type:varchar(64);not null"`
	Reason    string    `gorm:"type:text;not null"`
	Evidence  string    `gorm:"type:text;not null"`
	Actor     string    `gorm:"type:varchar(64);not null"`
	CreatedAt time.Time `gorm:"not null"`
	Decision  string    `gorm:"type:varchar(16);not null"`
	Decider   string    `gorm:"type:varchar(64);not null"`
	DecidedAt *time.Time
}

func (v200Removal) TableName() string { return "mod_removals" }

func upModeration(tx *gorm.DB) error {
	return tx.AutoMigrate(&v200Banword{}, &v200Violation{}, &v200Removal{})
}
