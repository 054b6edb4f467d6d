package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/glebarez/sqlite"
	mysqldrv "github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
)

const connectTimeout = 5 * time.Second

// sqliteParams: WAL so readers never block the writer, a busy timeout for a
// second process on the same file, IMMEDIATE transactions so two processes
// never deadlock upgrading a read lock, and one time format that sorts. The
// driver's wait for a busy file does not watch the context, so the timeout
// is what bounds it: short enough that a callback waiting on a file another
// process holds is answered 503 within WeCom's 5 seconds.
const sqliteParams = "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(2000)" +
	"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate&_time_format=sqlite"

func openDB(ctx context.Context, o Options, res *resources) (*gorm.DB, error) {
	cfg := &gorm.Config{Logger: newDBLogger(o.Log), NowFunc: func() time.Time { return dbTime(o.Now()) }}
	var dial gorm.Dialector
	if o.MySQLDSN != "" {
		dsn, err := mysqlDSN(o.MySQLDSN)
		if err != nil {
			return nil, err
		}
		dial = mysql.Open(dsn)
	} else {
		if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("store: create data dir: %w", err)
		}
		dial = sqlite.Open(filepath.Join(o.DataDir, "qunbot.db") + sqliteParams)
		res.embeddedDB = true
	}
	db, err := gorm.Open(dial, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: open database: %w", err)
	}
	if err := db.Use(markUnavailable{}); err != nil {
		return nil, fmt.Errorf("store: open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("store: open database: %w", err)
	}
	res.closers = append(res.closers, sqlDB.Close)
	if res.embeddedDB {
		// One connection: SQLite has one writer anyway, and it makes
		// transactions queue instead of failing with SQLITE_BUSY.
		sqlDB.SetMaxOpenConns(1)
	} else {
		// As many idle as open: a burst that opened connections keeps them,
		// instead of closing and reopening hundreds a second.
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(32)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	pctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		return nil, fmt.Errorf("store: connect database: %w", err)
	}
	return db, nil
}

// mysqlDSN is dsn with what the store relies on forced (mysqlConfig).
func mysqlDSN(dsn string) (string, error) {
	c, err := mysqlConfig(dsn)
	if err != nil {
		return "", err
	}
	return c.FormatDSN(), nil
}

// mysqlConfig forces what the store relies on: times parsed and kept in UTC,
// and timeouts so a dead server fails calls instead of hanging them.
func mysqlConfig(dsn string) (*mysqldrv.Config, error) {
	c, err := mysqldrv.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: mysql dsn: %w", err)
	}
	c.ParseTime = true
	c.Loc = time.UTC
	// Arguments are written into the statement by the driver (safe with
	// utf8mb4): one round trip per statement, where server-side prepared
	// statements cost three (prepare, execute, close).
	c.InterpolateParams = true
	if c.Timeout == 0 {
		c.Timeout = connectTimeout
	}
	if c.ReadTimeout == 0 {
		c.ReadTimeout = 30 * time.Second
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = 30 * time.Second
	}
	if c.Params == nil {
		c.Params = map[string]string{}
	}
	if _, ok := c.Params["charset"]; !ok && c.Collation == "" {
		c.Params["charset"] = "utf8mb4"
	}
	// The session time zone too, so NOW() and TIMESTAMP agree with Go.
	c.Params["time_zone"] = "'+00:00'"
	return c, nil
}

// openRedis connects to Redis; onRecover runs whenever Redis answers again
// after a call found it unreachable.
func openRedis(ctx context.Context, o Options, res *resources, onRecover func()) (redis.UniversalClient, error) {
	var opt *redis.Options
	if o.RedisURL != "" {
		var err error
		if opt, err = redis.ParseURL(o.RedisURL); err != nil {
			return nil, fmt.Errorf("store: redis url: %w", err)
		}
	} else {
		addr, err := startMiniredis(res)
		if err != nil {
			return nil, err
		}
		opt = &redis.Options{Addr: addr}
	}
	// Everything in Redis is optional: a call that cannot reach it should
	// fail within a callback's budget, not after go-redis's default dial and
	// command retries (seconds); then the breaker fails the next ones at once.
	opt.DialTimeout = time.Second
	opt.DialerRetries = 1
	opt.MaxRetries = 1
	opt.ReadTimeout = 2 * time.Second
	opt.WriteTimeout = 2 * time.Second
	// Every turn makes a round trip or two: enough connections that turns
	// do not queue for one. RESP2: nothing here uses RESP3's push messages,
	// whose check costs a read on every command.
	opt.PoolSize = 64
	opt.Protocol = 2
	rdb := redis.NewClient(opt)
	rdb.AddHook(&breaker{now: o.Now, onRecover: onRecover})
	res.closers = append(res.closers, rdb.Close)
	pctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		// Redis holds nothing durable, and every use of it degrades without
		// it: start anyway (readiness reports "redis") rather than crash-loop
		// until it is back.
		o.Log.Warn("redis does not answer; running without it until it does", "err", err)
	}
	return rdb, nil
}

// The in-process Redis expires keys only when told that time has passed,
// and each telling walks and sorts every key under the lock every command
// takes: with many keys, tens of milliseconds (the claims, one a message,
// are held in the process instead: claims_local.go). It is told
// every expiryTickMin while that is cheap and less often as the keys grow, so
// the walk takes at most about 2% of the time; keys then outlive their TTL by
// at most expiryTickMax. No key's purpose minds: its TTL cleans up, or hands
// a lease on (in one process, only after a stopped worker), while values and
// the database decide.
const (
	expiryTickMin = 250 * time.Millisecond
	expiryTickMax = 10 * time.Second
)

// expiryTick is the wait after a walk that took took.
func expiryTick(took time.Duration) time.Duration {
	return min(max(50*took, expiryTickMin), expiryTickMax)
}

// startMiniredis runs the in-process Redis. miniredis only ages TTLs when told
// to, so a timer fast-forwards it with the wall clock; otherwise locks,
// copies and cooldowns would never expire.
func startMiniredis(res *resources) (string, error) {
	m := miniredis.NewMiniRedis()
	if err := m.Start(); err != nil {
		return "", fmt.Errorf("store: start embedded redis: %w", err)
	}
	res.embeddedRedis = true
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTimer(expiryTickMin)
		defer t.Stop()
		last := time.Now()
		for {
			select {
			case <-stop:
				return
			case now := <-t.C:
				m.FastForward(now.Sub(last))
				last = now
				t.Reset(expiryTick(time.Since(now)))
			}
		}
	}()
	res.closers = append(res.closers, func() error {
		close(stop)
		<-done
		m.Close()
		return nil
	})
	return m.Addr(), nil
}
