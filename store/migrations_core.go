package store

import (
	"time"

	"gorm.io/gorm"
)

func init() { register(Migration{Version: 1, Name: "core", Up: upCore}) }

// The v1 models below are frozen: never edit them; add a migration instead.
// Index names carry the table name because SQLite's index namespace is global.

type v1Group struct {
	ChatID    string    `gorm:"type:varchar(64);primaryKey"`
	FirstSeen time.Time `gorm:"not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

// "groups" is a reserved word in MySQL 8, hence chat_groups.
func (v1Group) TableName() string { return "chat_groups" }

type v1GroupSetting struct {
	ChatID     string    `gorm:"type:varchar(64);primaryKey"`
	SettingKey string    `gorm:"type:varchar(64);primaryKey"`
	Value      string    `gorm:"type:text;not null"`
	UpdatedBy  string    `gorm:"type:varchar(64);not null"`
	UpdatedAt  time.Time `gorm:"not null"`
}

func (v1GroupSetting) TableName() string { return "group_settings" }

type v1Admin struct {
	ChatID    string    `gorm:"type:varchar(64);primaryKey"`
	UserID    string    `gorm:"type:varchar(64);primaryKey"`
	AddedBy   string    `gorm:"type:varchar(64);not null"`
	CreatedAt time.Time `gorm:"not null"`
}

func (v1Admin) TableName() string { return "admins" }

type v1Member struct {
	ChatID         string `gorm:"type:varchar(64);primaryKey"`
	UserID         string `gorm:"type:varchar(64);primaryKey;index:idx_members_user_id"`
	JoinedAt       *time.Time
	JoinScene      int    `gorm:"not null"`
	Inviter        string `gorm:"type:varchar(64);not null"`
	LeftAt         *time.Time
	Removed        bool `gorm:"not null"`
	ProbationUntil *time.Time
	MutedUntil     *time.Time
	Approved       bool      `gorm:"not null"`
	FirstSeen      time.Time `gorm:"not null"`
	UpdatedAt      time.Time `gorm:"not null"`
}

func (v1Member) TableName() string { return "members" }

type v1Directory struct {
	UserID    string    `gorm:"type:varchar(64);primaryKey"`
	Name      string    `gorm:"type:varchar(191);not null;index:idx_directory_name"`
	UpdatedAt time.Time `gorm:"not null"`
}

func (v1Directory) TableName() string { return "directory" }

type v1Delivery struct {
	EventID   string    `gorm:"type:varchar(191);primaryKey"`
	Reply     string    `gorm:"type:text;not null"`
	CreatedAt time.Time `gorm:"not null;index:idx_deliveries_created_at"`
}

func (v1Delivery) TableName() string { return "deliveries" }

type v1Modlog struct {
	ID        int64     `gorm:"primaryKey;autoIncrement;index:idx_modlog_chat_id,priority:2"`
	ChatID    string    `gorm:"type:varchar(64);not null;index:idx_modlog_chat_id,priority:1"`
	Action    string    `gorm:"type:varchar(32);not null"`
	Actor     string    `gorm:"type:varchar(64);not null"`
	Target    string    `gorm:"type:varchar(64);not null"`
	Reason    string    `gorm:"type:text;not null"`
	Evidence  string    `gorm:"type:text;not null"`
	CreatedAt time.Time `gorm:"not null"`
}

func (v1Modlog) TableName() string { return "modlog" }

// v1Outbox rows move pending → sending (leased by one worker until
// lease_until) → done | failed, or back to pending for a retry.
type v1Outbox struct {
	ID            int64     `gorm:"primaryKey;autoIncrement"`
	Kind          string    `gorm:"type:varchar(32);not null"`
	Payload       string    `gorm:"type:text;not null"`
	RateKey       string    `gorm:"type:varchar(191);not null"`
	Status        string    `gorm:"type:varchar(16);not null;index:idx_outbox_status_next,priority:1"`
	Attempts      int       `gorm:"not null"`
	NextAttemptAt time.Time `gorm:"not null;index:idx_outbox_status_next,priority:2"`
	LeaseUntil    *time.Time
	LeaseOwner    string    `gorm:"type:varchar(64);not null"`
	LastError     string    `gorm:"type:text;not null"`
	CreatedAt     time.Time `gorm:"not null"`
	UpdatedAt     time.Time `gorm:"not null"`
}

func (v1Outbox) TableName() string { return "outbox" }

// v1Ledger is the points ledger; the engagement migrations build on it.
type v1Ledger struct {
	ID        int64     `gorm:"primaryKey;autoIncrement"`
	ChatID    string    `gorm:"type:varchar(64);not null;index:idx_ledger_chat_user,priority:1;index:idx_ledger_chat_created,priority:1"`
	UserID    string    `gorm:"type:varchar(64);not null;index:idx_ledger_chat_user,priority:2"`
	Delta     int64     `gorm:"not null"`
	Kind      string    `gorm:"type:varchar(32);not null"`
	Reason    string    `gorm:"type:varchar(255);not null"`
	Source    string    `gorm:"type:varchar(191);not null"`
	Actor     string    `gorm:"type:varchar(64);not null"`
	IdemKey   string    `gorm:"type:varchar(191);not null;uniqueIndex:uniq_ledger_idem_key"`
	CreatedAt time.Time `gorm:"not null;index:idx_ledger_chat_created,priority:2"`
}

func (v1Ledger) TableName() string { return "ledger" }

func upCore(tx *gorm.DB) error {
	return tx.AutoMigrate(&v1Group{}, &v1GroupSetting{}, &v1Admin{}, &v1Member{},
		&v1Directory{}, &v1Delivery{}, &v1Modlog{}, &v1Outbox{}, &v1Ledger{})
}
