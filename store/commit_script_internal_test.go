package store

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
)

// scriptTable is a scratch table on the test MySQL, dropped after the test.
func scriptTable(t *testing.T) (*sql.DB, string) {
	t.Helper()
	dsn := os.Getenv("QUNBOT_TEST_MYSQL_DSN")
	if dsn == "" {
		t.Skip("QUNBOT_TEST_MYSQL_DSN is not set: the script is MySQL's")
	}
	ctx := context.Background()
	db, err := openScriptPool(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	table := "script_test_" + strings.ReplaceAll(strings.ToLower(t.Name()), "/", "_")
	if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+table+"; CREATE TABLE "+table+
		" (id VARCHAR(32) PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Exec("DROP TABLE " + table) })
	return db, table
}

func scriptRows(t *testing.T, db *sql.DB, table string) map[string]int {
	t.Helper()
	rows, err := db.Query("SELECT id, n FROM " + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		got[id] = n
	}
	return got
}

// runScript writes rows with exec, reads them back with a query that carries
// COMMIT, and returns what the read saw.
func runScript(t *testing.T, db *sql.DB, table string, trailer string, stmts ...string) (map[string]int, error) {
	t.Helper()
	ctx := context.Background()
	script, err := beginScript(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	s := (&Store{mysql: true}).withScript(script)
	for _, q := range stmts {
		if err := s.exec(ctx, q, "a?'b", 1); err != nil {
			t.Fatal("a queued statement cannot fail before it is sent:", err)
		}
	}
	seen := map[string]int{}
	err = script.commitAfter(ctx, func() error {
		if trailer != "" {
			script.trailer = trailer
		}
		return s.queryRows(ctx, func(rows *sql.Rows) error {
			var id string
			var n int
			err := rows.Scan(&id, &n)
			seen[id] = n
			return err
		}, "SELECT id, n FROM "+table+" WHERE n >= ?", 0)
	})
	script.close(err == nil)
	return seen, err
}

func TestScriptCommitsWithItsLastRead(t *testing.T) {
	db, table := scriptTable(t)
	insert := "INSERT INTO " + table + " (id, n) VALUES (?, ?)"
	// A quote and a question mark in a value do not upset the interpolation.
	seen, err := runScript(t, db, table, "", insert, "UPDATE "+table+" SET n = n + 1 WHERE id = ? AND n = ?")
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"a?'b": 2}; len(seen) != 1 || seen["a?'b"] != 2 {
		t.Fatalf("the read inside the script saw %v, want %v", seen, want)
	}
	if got := scriptRows(t, db, table); got["a?'b"] != 2 {
		t.Fatalf("after the script: %v, want the row committed", got)
	}
}

func TestScriptStopsAndRollsBackAtAFailingStatement(t *testing.T) {
	db, table := scriptTable(t)
	insert := "INSERT INTO " + table + " (id, n) VALUES (?, ?)"
	// The second insert breaks the key: the first is rolled back with it.
	_, err := runScript(t, db, table, "", insert, insert)
	if !isUnique(err) {
		t.Fatalf("err = %v, want the duplicate key", err)
	}
	if got := scriptRows(t, db, table); len(got) != 0 {
		t.Fatalf("after a failed script: %v, want nothing", got)
	}
}

func TestScriptReportsAFailureAfterItsRead(t *testing.T) {
	db, table := scriptTable(t)
	insert := "INSERT INTO " + table + " (id, n) VALUES (?, ?)"
	// What follows the read in the same round trip fails: the read's rows
	// came back, but the script did not commit, and says so.
	_, err := runScript(t, db, table, "INSERT INTO "+table+" (id, n) VALUES ('x', 1), ('x', 2)", insert)
	if !isUnique(err) {
		t.Fatalf("err = %v, want the trailer's duplicate key", err)
	}
	if got := scriptRows(t, db, table); len(got) != 0 {
		t.Fatalf("after a failed script: %v, want nothing", got)
	}
}
