package store

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

func init() { register(Migration{Version: 600, Name: "member_state", Up: upMemberState}) }

// The v600 model below is frozen: never edit it; add a migration instead.

// v600Member is the member row with the state a turn decides from kept on
// it, so the hot path reads (and caches) one row per speaker instead of
// summing the ledger and reading three tables: the balance and the points
// earned (always the ledger's sums, updated in the transaction that writes
// each ledger row), the message-points meter, the latest check-in, and a
// version bumped by every write, which orders the copies cached in Redis.
type v600Member struct {
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

	Points        int64  `gorm:"not null;default:0"`
	Earned        int64  `gorm:"not null;default:0"`
	Version       int64  `gorm:"not null;default:0"`
	MeterDay      string `gorm:"type:varchar(10);not null;default:''"`
	MeterCount    int    `gorm:"not null;default:0"`
	MeterLast     *time.Time
	CheckinDay    string `gorm:"type:varchar(10);not null;default:''"`
	CheckinStreak int    `gorm:"not null;default:0"`
}

func (v600Member) TableName() string { return "members" }

// memberStateBackfill fills the new columns from the tables they summarize.
// Members who have ledger rows but no member row get one first, so every
// balance lives on a row.
var memberStateBackfill = []string{
	`INSERT INTO members (chat_id, user_id, joined_at, join_scene, inviter, removed, approved, first_seen, updated_at)
	 SELECT l.chat_id, l.user_id, MIN(l.created_at), 0, '', false, false, MIN(l.created_at), MIN(l.created_at)
	 FROM ledger l LEFT JOIN members m ON m.chat_id = l.chat_id AND m.user_id = l.user_id
	 WHERE m.user_id IS NULL GROUP BY l.chat_id, l.user_id`,
	`UPDATE members SET
	   points = (SELECT COALESCE(SUM(l.delta), 0) FROM ledger l WHERE l.chat_id = members.chat_id AND l.user_id = members.user_id),
	   earned = (SELECT COALESCE(SUM(l.delta), 0) FROM ledger l WHERE l.chat_id = members.chat_id AND l.user_id = members.user_id
	             AND l.kind NOT IN ('redeem', 'makeup')),
	   version = 1`,
	`UPDATE members SET
	   meter_day = COALESCE((SELECT mm.day FROM message_meters mm WHERE mm.chat_id = members.chat_id AND mm.user_id = members.user_id), ''),
	   meter_count = COALESCE((SELECT mm.count FROM message_meters mm WHERE mm.chat_id = members.chat_id AND mm.user_id = members.user_id), 0),
	   meter_last = (SELECT mm.last_at FROM message_meters mm WHERE mm.chat_id = members.chat_id AND mm.user_id = members.user_id)`,
	`UPDATE members SET
	   checkin_day = COALESCE((SELECT MAX(c.day) FROM checkins c WHERE c.chat_id = members.chat_id AND c.user_id = members.user_id), '')`,
	`UPDATE members SET
	   checkin_streak = COALESCE((SELECT c.streak FROM checkins c WHERE c.chat_id = members.chat_id AND c.user_id = members.user_id
	                              AND c.day = members.checkin_day), 0)`,
}

func upMemberState(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&v600Member{}); err != nil {
		return err
	}
	for i, q := range memberStateBackfill {
		if err := tx.Exec(q).Error; err != nil {
			return fmt.Errorf("backfill step %d: %w", i+1, err)
		}
	}
	return nil
}
