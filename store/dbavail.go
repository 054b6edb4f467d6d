package store

import (
	"gorm.io/gorm"
)

// markUnavailable is a gorm plugin: after every statement, an error saying
// the database could not be reached or did not answer in time is marked
// rules.ErrUnavailable (unavailable in dberr.go), so every caller up to the
// HTTP handlers can tell "try again later" (503) from a bug (500) without
// knowing the driver.
type markUnavailable struct{}

func (markUnavailable) Name() string { return "qunbot:mark_unavailable" }

func (markUnavailable) Initialize(db *gorm.DB) error {
	mark := func(tx *gorm.DB) {
		if tx.Error != nil {
			tx.Error = unavailable(tx.Error)
		}
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("qunbot:mark_unavailable", mark),
		cb.Query().After("gorm:query").Register("qunbot:mark_unavailable", mark),
		cb.Update().After("gorm:update").Register("qunbot:mark_unavailable", mark),
		cb.Delete().After("gorm:delete").Register("qunbot:mark_unavailable", mark),
		cb.Row().After("gorm:row").Register("qunbot:mark_unavailable", mark),
		cb.Raw().After("gorm:raw").Register("qunbot:mark_unavailable", mark),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
