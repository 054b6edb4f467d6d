package store

import "gorm.io/gorm"

func init() { register(Migration{Version: 650, Name: "outbox_destination", Up: upOutboxDestination}) }

// v650Outbox adds the destination of an outbox row (see destination): the
// worker delivers to different destinations at once, one call at a time per
// destination. Rows written before it have "" and share one lane.
type v650Outbox struct {
	Dest string `gorm:"type:varchar(191);not null;default:''"`
}

func (v650Outbox) TableName() string { return "outbox" }

func upOutboxDestination(tx *gorm.DB) error {
	return tx.Migrator().AddColumn(&v650Outbox{}, "Dest")
}
