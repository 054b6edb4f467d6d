package store

import (
	"time"

	"gorm.io/gorm"
)

// Version range 800–899: the 智能机器人 long connection.
func init() { register(Migration{Version: 800, Name: "aibot_chats", Up: upAIBotChats}) }

// v800AIBotChat is one group's reachability over the long connection
// (frozen): whether aibot_send_msg may post into it.
type v800AIBotChat struct {
	ChatID    string    `gorm:"type:varchar(64);primaryKey"`
	State     string    `gorm:"type:varchar(16);not null"`
	Code      int       `gorm:"not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

func (v800AIBotChat) TableName() string { return "aibot_chats" }

func upAIBotChats(tx *gorm.DB) error { return tx.AutoMigrate(&v800AIBotChat{}) }
