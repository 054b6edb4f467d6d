package store

import (
	"gorm.io/gorm"
)

func init() { register(Migration{Version: 400, Name: "analytics", Up: upAnalytics}) }

// The v400 models below are frozen: never edit them; add a migration instead.

// v400StatDay holds a group's counters of one local day. A busy group's
// writes are spread over statShards rows a day (by member), so two members'
// turns rarely wait for the same row lock; a read sums the shards.
type v400StatDay struct {
	ChatID   string `gorm:"type:varchar(64);primaryKey"`
	Day      string `gorm:"type:varchar(10);primaryKey"`
	Shard    int    `gorm:"primaryKey;autoIncrement:false"`
	Messages int    `gorm:"not null"`
	Speakers int    `gorm:"not null"`
	Checkins int    `gorm:"not null"`
	Joins    int    `gorm:"not null"`
	Leaves   int    `gorm:"not null"`
}

func (v400StatDay) TableName() string { return "stat_days" }

// v400StatMemberDay is one member's message count of one local day; a row
// exists only for a day they spoke on.
type v400StatMemberDay struct {
	ChatID   string `gorm:"type:varchar(64);primaryKey;index:idx_stat_member_days_user,priority:1"`
	Day      string `gorm:"type:varchar(10);primaryKey;index:idx_stat_member_days_user,priority:3"`
	UserID   string `gorm:"type:varchar(64);primaryKey;index:idx_stat_member_days_user,priority:2"`
	Messages int    `gorm:"not null"`
}

func (v400StatMemberDay) TableName() string { return "stat_member_days" }

// v400StatMember is a member's recent days spoken on (store/stats_bits.go),
// derived from stat_member_days: bit i of bits0|bits1 is last_day − i days.
type v400StatMember struct {
	ChatID  string `gorm:"type:varchar(64);primaryKey;index:idx_stat_members_last,priority:1"`
	UserID  string `gorm:"type:varchar(64);primaryKey"`
	LastDay string `gorm:"type:varchar(10);not null;index:idx_stat_members_last,priority:2"`
	Bits0   int64  `gorm:"not null"`
	Bits1   int64  `gorm:"not null"`
}

func (v400StatMember) TableName() string { return "stat_members" }

// upAnalytics creates the roll-ups and an index that counts a group's
// current members (and lists them oldest first) without reading their rows.
func upAnalytics(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&v400StatDay{}, &v400StatMemberDay{}, &v400StatMember{}); err != nil {
		return err
	}
	return tx.Exec("CREATE INDEX idx_members_chat_left ON members (chat_id, left_at, joined_at)").Error
}
