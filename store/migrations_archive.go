package store

import (
	"time"

	"gorm.io/gorm"
)

// Version range 900–949: full traffic through the message archive.
func init() {
	register(Migration{Version: 900, Name: "archive_cursor", Up: upArchiveCursor})
	register(Migration{Version: 901, Name: "message_prints", Up: upMessagePrints})
	register(Migration{Version: 902, Name: "modlog_source", Up: upModlogSource})
}

// v900ArchiveCursor is the seq the archive puller has handled everything up
// to (frozen). One row, name "msgaudit".
type v900ArchiveCursor struct {
	Name      string    `gorm:"type:varchar(64);primaryKey"`
	Seq       int64     `gorm:"not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

func (v900ArchiveCursor) TableName() string { return "archive_cursor" }

func upArchiveCursor(tx *gorm.DB) error { return tx.AutoMigrate(&v900ArchiveCursor{}) }

// v901MessagePrint is a group message's print for the match between an
// @-callback and its archive copy (rules/archive.go; frozen). Pairs is
// unique: a print is paired at most once. NULL (unpaired) repeats freely.
type v901MessagePrint struct {
	EventID string    `gorm:"type:varchar(191);primaryKey"`
	ChatID  string    `gorm:"type:varchar(64);not null;index:idx_print_match,priority:1"`
	UserID  string    `gorm:"type:varchar(64);not null;index:idx_print_match,priority:2"`
	Digest  string    `gorm:"type:varchar(32);not null;index:idx_print_match,priority:3"`
	MsgAt   time.Time `gorm:"not null;index:idx_print_match,priority:4;index:idx_print_at"`
	Source  string    `gorm:"type:varchar(16);not null"`
	Pairs   *string   `gorm:"type:varchar(191);uniqueIndex:uniq_print_pairs"`
}

func (v901MessagePrint) TableName() string { return "message_prints" }

func upMessagePrints(tx *gorm.DB) error { return tx.AutoMigrate(&v901MessagePrint{}) }

// v902Modlog adds the delivery a modlog row's evidence came from, so a
// recalled message can be taken out of it.
type v902Modlog struct {
	Source string `gorm:"type:varchar(191);not null;default:'';index:idx_modlog_source"`
}

func (v902Modlog) TableName() string { return "modlog" }

func upModlogSource(tx *gorm.DB) error {
	if err := tx.Migrator().AddColumn(&v902Modlog{}, "Source"); err != nil {
		return err
	}
	return tx.Migrator().CreateIndex(&v902Modlog{}, "idx_modlog_source")
}
