package store

import (
	"time"

	"gorm.io/gorm"
)

func init() { register(Migration{Version: 300, Name: "lifecycle", Up: upLifecycle}) }

// The v300 models below are frozen: never edit them; add a migration instead.

// v300Join is one arrival of a member (rules.Join).
type v300Join struct {
	ID           int64     `gorm:"primaryKey;autoIncrement"`
	ChatID       string    `gorm:"type:varchar(64);not null;index:idx_member_joins_open,priority:1;index:idx_member_joins_user,priority:1"`
	UserID       string    `gorm:"type:varchar(64);not null;index:idx_member_joins_user,priority:2;uniqueIndex:uniq_member_joins_event_user,priority:2"`
	EventID      string    `gorm:"type:varchar(191);not null;uniqueIndex:uniq_member_joins_event_user,priority:1"`
	JoinedAt     time.Time `gorm:"not null"`
	Scene        int       `gorm:"not null"`
	Inviter      string    `gorm:"type:varchar(64);not null"`
	InviterKnown bool      `gorm:"not null"`
	Credited     int       `gorm:"not null"`
	Welcomed     bool      `gorm:"not null"`
	Quiz         string    `gorm:"type:varchar(16);not null"`
	QuizDue      *time.Time
	LeftAt       *time.Time
	// Owes is true while the join owes something (rules.Join.Owes); it keeps
	// the open-joins query on a short index range however old the group.
	Owes bool `gorm:"not null;index:idx_member_joins_open,priority:2"`
}

func (v300Join) TableName() string { return "member_joins" }

// v300MemVersion is a group's last CurMemVer from change_external_chat.
type v300MemVersion struct {
	ChatID    string    `gorm:"type:varchar(64);primaryKey"`
	Version   string    `gorm:"type:varchar(191);not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

func (v300MemVersion) TableName() string { return "member_versions" }

// v300KeywordReply is one answer to a keyword added with /reply.
type v300KeywordReply struct {
	ID        int64     `gorm:"primaryKey;autoIncrement;index:idx_keyword_replies_chat,priority:2"`
	ChatID    string    `gorm:"type:varchar(64);not null;index:idx_keyword_replies_chat,priority:1"`
	Kind      string    `gorm:"type:varchar(16);not null"`
	Pattern   string    `gorm:"type:varchar(255);not null"`
	Text      string    `gorm:"type:text;not null"`
	CreatedBy string    `gorm:"type:varchar(64);not null"`
	CreatedAt time.Time `gorm:"not null"`
}

func (v300KeywordReply) TableName() string { return "keyword_replies" }

func upLifecycle(tx *gorm.DB) error {
	return tx.AutoMigrate(&v300Join{}, &v300MemVersion{}, &v300KeywordReply{})
}
