package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strings"

	mysqldrv "github.com/go-sql-driver/mysql"

	"github.com/qunbot/qunbot/rules"
)

// MySQL error numbers and SQLite primary result codes the store acts on.
const (
	mysqlDuplicate   = 1062
	mysqlLockTimeout = 1205
	mysqlDeadlock    = 1213
	sqliteBusy       = 5
	sqliteLocked     = 6
	sqliteConstraint = 19
)

func mysqlNumber(err error) uint16 {
	var me *mysqldrv.MySQLError
	if errors.As(err, &me) {
		return me.Number
	}
	return 0
}

// sqliteCode is the primary result code of a SQLite error, or 0.
func sqliteCode(err error) int {
	var se interface{ Code() int }
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// isUnique reports a unique or primary key violation on either backend.
func isUnique(err error) bool {
	if err == nil {
		return false
	}
	if mysqlNumber(err) == mysqlDuplicate {
		return true
	}
	return sqliteCode(err) == sqliteConstraint && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// isRetryable reports an error after which the whole transaction may simply
// be run again: a deadlock, a lock wait timeout, a busy database.
func isRetryable(err error) bool {
	if err == nil {
		return false
	}
	switch mysqlNumber(err) {
	case mysqlDeadlock, mysqlLockTimeout:
		return true
	}
	switch sqliteCode(err) {
	case sqliteBusy, sqliteLocked:
		return true
	}
	return false
}

// unavailable marks err with rules.ErrUnavailable when it says the database
// could not be reached or did not answer in time: a dropped or refused
// connection, a timeout, a deadline, a database busy for too long.
func unavailable(err error) error {
	if err == nil || errors.Is(err, rules.ErrUnavailable) || !isUnavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", rules.ErrUnavailable, err)
}

func isUnavailable(err error) bool {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, mysqldrv.ErrInvalidConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, ErrRedisDown), errors.As(err, &ne):
		return true
	}
	switch sqliteCode(err) {
	case sqliteBusy, sqliteLocked:
		return true
	}
	return false
}
