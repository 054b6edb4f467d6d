// Package store is qunbot's persistence: the rules interfaces on gorm (MySQL
// or an embedded SQLite file), versioned migrations, the outbox and its
// worker, and the Redis state (real Redis or an in-process miniredis).
package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"gorm.io/gorm"

	"github.com/qunbot/qunbot/rules"
)

var (
	_ rules.Store    = (*Store)(nil)
	_ rules.Tx       = (*Store)(nil)
	_ rules.Counters = (*Store)(nil)
)

// Options say where the state lives. Empty MySQLDSN means the SQLite file
// <DataDir>/qunbot.db; empty RedisURL means an in-process Redis.
type Options struct {
	MySQLDSN string
	RedisURL string
	DataDir  string // default "data"
	// KeyPrefix is put before every Redis key and channel, so tests (or two
	// deployments) can share one Redis.
	KeyPrefix string
	Now       func() time.Time // default time.Now
	Log       *slog.Logger     // slow and failed queries, pub/sub trouble; default slog.Default()
}

func (o Options) withDefaults() Options {
	if o.DataDir == "" {
		o.DataDir = "data"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	return o
}

// Store implements rules.Store and rules.Counters. A Store handed to an Atomic
// callback is bound to that transaction.
type Store struct {
	db    *gorm.DB
	mysql bool
	// scriptDB is the group committer's own connections on MySQL, and
	// script the transaction of a Store bound to one (commit_script.go).
	scriptDB *sql.DB
	script   *txScript
	inTx     bool
	rdb      redis.UniversalClient
	keys     keys
	now      func() time.Time
	log      *slog.Logger
	res      *resources
	// touched collects the members a transaction writes (nil outside one).
	touched touched
	// copies are the Redis copies of member state the hot path reads.
	copies *copies
	// commits is the group committer of the hot path (commit.go).
	commits *committer
	pipes   *sharedPipes // the turns' shared first round trips to Redis
	// localClaims hold the deliveries' claims with the in-process Redis;
	// nil with a real one, which holds them (claims_local.go).
	localClaims *localClaims
	names       *names
	// cooldowns are the reply cooldowns seen running (counters_reply.go).
	cooldowns *cooldownEnds
}

// resources are what the root Store opened and Close releases.
type resources struct {
	embeddedDB, embeddedRedis bool
	closeOnce                 sync.Once
	closers                   []func() error
}

// Open connects to the database and Redis (starting the embedded ones when
// not configured) and applies pending migrations.
func Open(ctx context.Context, o Options) (*Store, error) {
	o = o.withDefaults()
	res := &resources{}
	s := &Store{keys: keys{prefix: o.KeyPrefix + "qunbot:"}, now: o.Now, log: o.Log, res: res,
		copies: &copies{}, names: &names{}, cooldowns: &cooldownEnds{}}
	fail := func(err error) (*Store, error) {
		_ = s.Close()
		return nil, err
	}
	db, err := openDB(ctx, o, res)
	if err != nil {
		return fail(err)
	}
	s.db, s.mysql = db, o.MySQLDSN != ""
	if _, err := migrate(ctx, db, s.mysql, o.Now); err != nil {
		return fail(err)
	}
	if s.mysql {
		if s.scriptDB, err = openScriptPool(ctx, o.MySQLDSN); err != nil {
			return fail(err)
		}
		res.closers = append(res.closers, s.scriptDB.Close)
	}
	rdb, err := openRedis(ctx, o, res, s.redisRecovered)
	if err != nil {
		return fail(err)
	}
	s.rdb = rdb
	if res.embeddedRedis {
		s.localClaims = newLocalClaims()
	}
	s.pipes = newSharedPipes(rdb)
	res.closers = append(res.closers, s.pipes.close)
	_ = s.startEpoch(ctx) // logged; with Redis down, its recovery starts one

	s.startCommitter()
	return s, nil
}

// Migrate applies pending migrations to the configured database and returns
// the names of those it applied ("0001_core"). It does not touch Redis.
func Migrate(ctx context.Context, o Options) (applied []string, err error) {
	o = o.withDefaults()
	res := &resources{}
	defer func() {
		if cerr := res.close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	db, err := openDB(ctx, o, res)
	if err != nil {
		return nil, err
	}
	return migrate(ctx, db, o.MySQLDSN != "", o.Now)
}

// Embedded reports which parts run in-process: the SQLite database and the
// miniredis server.
func (s *Store) Embedded() (db, redis bool) {
	return s.res.embeddedDB, s.res.embeddedRedis
}

// Redis is the client the store uses.
func (s *Store) Redis() redis.UniversalClient { return s.rdb }

// Ping checks both backends for /readyz. On failure, failing is "database" or
// "redis".
func (s *Store) Ping(ctx context.Context) (failing string, err error) {
	if err := s.PingDB(ctx); err != nil {
		return "database", err
	}
	if err := s.PingRedis(ctx); err != nil {
		return "redis", err
	}
	return "", nil
}

// PingDB checks the database answers.
func (s *Store) PingDB(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err == nil {
		err = sqlDB.PingContext(ctx)
	}
	if err != nil {
		return fmt.Errorf("store: ping database: %w", err)
	}
	return nil
}

// PingRedis checks Redis answers.
func (s *Store) PingRedis(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("store: ping redis: %w", err)
	}
	return nil
}

// Close releases everything Open started, the in-process Redis included.
func (s *Store) Close() error {
	if s.inTx {
		return nil
	}
	return s.res.close()
}

func (r *resources) close() error {
	var first error
	r.closeOnce.Do(func() {
		for i := len(r.closers) - 1; i >= 0; i-- {
			if err := r.closers[i](); err != nil && first == nil {
				first = fmt.Errorf("store: close: %w", err)
			}
		}
	})
	return first
}

// withScript returns a Store whose raw statements go to script.
func (s *Store) withScript(script *txScript) *Store {
	c := *s
	c.script, c.inTx = script, true
	return &c
}

// bind returns a Store whose queries go through tx.
func (s *Store) bind(tx *gorm.DB) *Store {
	c := *s
	c.db, c.inTx = tx, true
	return &c
}

// q is the gorm handle for one call.
func (s *Store) q(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// dbTime is how every time is written: UTC, at the millisecond precision of
// the MySQL columns, so what is read back equals what was written.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

func dbTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := dbTime(*t)
	return &v
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.UTC()
	return &v
}
