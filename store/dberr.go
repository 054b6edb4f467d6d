package store

import (
	"errors"
	"strings"

	mysqldrv "github.com/go-sql-driver/mysql"
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
