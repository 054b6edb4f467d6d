package store

import "gorm.io/gorm"

func init() { register(Migration{Version: 602, Name: "member_spoke_day", Up: upSpokeDay}) }

// The v602 model below is frozen: never edit it; add a migration instead.

// v602Member adds the latest day the member is known to have spoken on, kept
// with the state on the member row: a hot turn whose copy already shows
// today knows its message is not the member's first of the day, so the
// group commit need not look for their member-day row (commit_stats.go). It
// is only ever set in the transaction that writes that row.
type v602Member struct {
	ChatID   string `gorm:"type:varchar(64);primaryKey"`
	UserID   string `gorm:"type:varchar(64);primaryKey"`
	SpokeDay string `gorm:"type:varchar(10);not null;default:''"`
}

func (v602Member) TableName() string { return "members" }

func upSpokeDay(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&v602Member{}); err != nil {
		return err
	}
	return tx.Exec(`UPDATE members SET spoke_day = COALESCE((SELECT a.last_day FROM stat_members a
		WHERE a.chat_id = members.chat_id AND a.user_id = members.user_id), '')`).Error
}
