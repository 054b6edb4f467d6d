package store

import (
	"context"

	"gorm.io/gorm/clause"
)

// upsert inserts row or, when a row with the same key columns exists,
// overwrites its cols. One statement on both backends (ON DUPLICATE KEY
// UPDATE / ON CONFLICT DO UPDATE), so racing writers never collide.
func (s *Store) upsert(ctx context.Context, row any, key, cols []string) error {
	cs := make([]clause.Column, len(key))
	for i, k := range key {
		cs[i] = clause.Column{Name: k}
	}
	return s.q(ctx).Clauses(clause.OnConflict{Columns: cs, DoUpdates: clause.AssignmentColumns(cols)}).
		Create(row).Error
}

// insertNew inserts row unless its primary key exists already.
func (s *Store) insertNew(ctx context.Context, row any) error {
	return s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(row).Error
}
