package store

import (
	"time"

	"gorm.io/gorm"
)

func init() { register(Migration{Version: 500, Name: "welcome_templates", Up: upWelcomeTemplates}) }

// The v500 models below are frozen: never edit them; add a migration instead.

// v500WelcomeTemplate is the WeCom group welcome template that keeps an
// external group's welcome text: edited when the text changes, deleted when
// the welcome is turned off.
type v500WelcomeTemplate struct {
	ChatID     string    `gorm:"type:varchar(64);primaryKey"`
	TemplateID string    `gorm:"type:varchar(191);not null"`
	Text       string    `gorm:"type:text;not null"`
	UpdatedAt  time.Time `gorm:"not null"`
}

func (v500WelcomeTemplate) TableName() string { return "welcome_templates" }

func upWelcomeTemplates(tx *gorm.DB) error { return tx.AutoMigrate(&v500WelcomeTemplate{}) }
