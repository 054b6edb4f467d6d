package store

import (
	"context"
	"database/sql"
	"strings"

	"gorm.io/gorm"
)

// The hot path's statements (the group committer's, the member copies'
// reads) run by the thousand a second, so they go straight to the
// connection (the transaction, when the Store is bound to one), past gorm's
// statement building, callbacks and reflection. Their errors are marked the
// way the markUnavailable plugin marks gorm's.

func (s *Store) conn() gorm.ConnPool { return s.db.Statement.ConnPool }

// exec runs a statement whose result is not needed. In a group commit's
// script (commit_script.go) it is queued, and its error comes with the
// script's next round trip.
func (s *Store) exec(ctx context.Context, query string, args ...any) error {
	if s.script != nil {
		s.script.add(query, args)
		return nil
	}
	_, err := s.conn().ExecContext(ctx, query, args...)
	return unavailable(err)
}

// queryRows runs query and calls scan for each row.
func (s *Store) queryRows(ctx context.Context, scan func(*sql.Rows) error, query string, args ...any) error {
	var rows *sql.Rows
	var err error
	if s.script != nil {
		rows, err = s.script.query(ctx, query, args)
	} else {
		rows, err = s.conn().QueryContext(ctx, query, args...)
	}
	if err != nil {
		return unavailable(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return unavailable(err)
	}
	// A script's statements after the query (COMMIT) report here.
	return unavailable(rows.Close())
}

// anyOf is a WHERE condition matching any of n keys, each matched by one
// (the parenthesized AND of a key's columns).
func anyOf(one string, n int) string {
	return strings.TrimSuffix(strings.Repeat(one+" OR ", n), " OR ")
}

// forUpdate ends a locking read: MySQL locks the rows it reads (and the gaps
// of those it does not find); SQLite has one writer at a time anyway.
func (s *Store) forUpdate() string {
	if s.mysql {
		return " FOR UPDATE"
	}
	return ""
}
