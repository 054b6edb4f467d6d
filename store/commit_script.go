package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"
)

// On MySQL a group commit is sent as a script, not statement by statement.
//
// Each statement of a transaction is a round trip, and on a loaded machine a
// round trip to a local server costs far more than the statement (both ends
// must be woken and scheduled: about 0.7 ms each under the bench's load on
// two cores, where a batch's inserts run in a few tens of µs). So the
// committer's statements are queued, and sent together with the next
// statement whose answer the batch needs (a locking read); the last ones go
// with the read-back of the members and COMMIT. A batch of ordinary chat is
// START TRANSACTION, its inserts and COMMIT in one write and one read.
//
// The scripts are multi-statement queries, which only the committer's own
// small pool allows (multiStatements in its DSN): arguments are written into
// the text by the driver (interpolateParams), so no statement may hold a
// literal '?'. MySQL stops a script at its first failing statement, so
// COMMIT is never reached after a failure, and the script rolls back. SQLite,
// in process, has no round trips to save: it runs the same steps one by one
// in a gorm transaction.

// scriptPoolSize caps the committer's connections; its one worker uses one
// at a time (a batch split into single turns runs them one after another).
const scriptPoolSize = 4

// txScript is one transaction on one connection of the committer's pool.
type txScript struct {
	conn *sql.Conn
	text strings.Builder
	args []any
	// trailer goes after the next query, in the same round trip (COMMIT).
	trailer string
}

// beginScript takes a connection and queues START TRANSACTION.
func beginScript(ctx context.Context, db *sql.DB) (*txScript, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, unavailable(err)
	}
	c := &txScript{conn: conn}
	c.add("START TRANSACTION", nil)
	return c, nil
}

func (c *txScript) add(query string, args []any) {
	if c.text.Len() > 0 {
		c.text.WriteString(";\n")
	}
	c.text.WriteString(query)
	c.args = append(c.args, args...)
}

func (c *txScript) take() (string, []any) {
	text, args := c.text.String(), c.args
	c.text.Reset()
	c.args = nil
	return text, args
}

// query sends what is queued, query and the trailer, and returns query's
// rows. The trailer's outcome comes with the rows' Close.
func (c *txScript) query(ctx context.Context, query string, args []any) (*sql.Rows, error) {
	c.add(query, args)
	if c.trailer != "" {
		c.add(c.trailer, nil)
		c.trailer = ""
	}
	text, all := c.take()
	return c.conn.QueryContext(ctx, text, all...)
}

// commitAfter sends the trailer COMMIT with the next query (read), or, when
// read queries nothing, with whatever is still queued.
func (c *txScript) commitAfter(ctx context.Context, read func() error) error {
	c.trailer = "COMMIT"
	if err := read(); err != nil {
		return err
	}
	if c.trailer != "" {
		c.add(c.trailer, nil)
		c.trailer = ""
	}
	if c.text.Len() == 0 {
		return nil
	}
	text, args := c.take()
	_, err := c.conn.ExecContext(ctx, text, args...)
	return unavailable(err)
}

// close ends the transaction: a script that did not commit is rolled back,
// and a connection that cannot roll back is dropped from the pool.
func (c *txScript) close(committed bool) {
	defer c.conn.Close()
	if committed {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := c.conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		_ = c.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
}

// openScriptPool opens the committer's connections to the same server, the
// only ones that take multi-statement queries.
func openScriptPool(ctx context.Context, dsn string) (*sql.DB, error) {
	c, err := mysqlConfig(dsn)
	if err != nil {
		return nil, err
	}
	c.MultiStatements = true // with InterpolateParams, which mysqlConfig sets
	connector, err := mysqldrv.NewConnector(c)
	if err != nil {
		return nil, fmt.Errorf("store: mysql dsn: %w", err)
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(scriptPoolSize)
	db.SetMaxIdleConns(scriptPoolSize)
	db.SetConnMaxLifetime(30 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect database: %w", err)
	}
	return db, nil
}
