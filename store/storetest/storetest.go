// Package storetest gives tests the store backends to run on: always the
// embedded one (SQLite in a temp dir + in-process Redis), and MySQL and/or
// Redis when QUNBOT_TEST_MYSQL_DSN / QUNBOT_TEST_REDIS_URL are set. Each call
// gets a fresh MySQL database and a fresh Redis key prefix, so packages
// tested in parallel never see each other's data.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"

	"github.com/qunbot/qunbot/store"
)

// Environment variables naming the live servers to test against.
const (
	EnvMySQL = "QUNBOT_TEST_MYSQL_DSN"
	EnvRedis = "QUNBOT_TEST_REDIS_URL"
)

// Backend is one configuration to run a test on.
type Backend struct {
	Name    string
	Options store.Options
}

// Backends returns "embedded" and, when configured, one backend using the
// live servers: "mysql+redis", "mysql+miniredis" or "sqlite+redis".
func Backends(t testing.TB) []Backend {
	t.Helper()
	bs := []Backend{{Name: "embedded", Options: store.Options{DataDir: t.TempDir()}}}
	dsn, url := os.Getenv(EnvMySQL), os.Getenv(EnvRedis)
	if dsn == "" && url == "" {
		return bs
	}
	live := Backend{Options: store.Options{DataDir: t.TempDir()}}
	dbName, redisName := "sqlite", "miniredis"
	if dsn != "" {
		live.Options.MySQLDSN, dbName = freshDatabase(t, dsn), "mysql"
	}
	if url != "" {
		live.Options.RedisURL, redisName = url, "redis"
		live.Options.KeyPrefix = freshPrefix(t, url)
	}
	live.Name = dbName + "+" + redisName
	return append(bs, live)
}

// Open opens (and so migrates) b's store and closes it when the test ends.
func Open(t testing.TB, b Backend) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), b.Options)
	if err != nil {
		t.Fatalf("storetest: open %s: %v", b.Name, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("storetest: close %s: %v", b.Name, err)
		}
	})
	return s
}

func randomName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// freshDatabase creates qunbot_t_<random> on dsn's server, drops it at
// cleanup, and returns dsn pointing at it.
func freshDatabase(t testing.TB, dsn string) string {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("storetest: %s: %v", EnvMySQL, err)
	}
	name := "qunbot_t_" + randomName()
	server := cfg.Clone()
	server.DBName = ""
	db, err := sql.Open("mysql", server.FormatDSN())
	if err != nil {
		t.Fatalf("storetest: connect mysql: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		db.Close()
		t.Fatalf("storetest: create database: %v", err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.ExecContext(context.Background(), "DROP DATABASE "+name); err != nil {
			t.Errorf("storetest: drop database %s: %v", name, err)
		}
	})
	cfg.DBName = name
	return cfg.FormatDSN()
}

// freshPrefix returns a random key prefix and deletes its keys at cleanup.
func freshPrefix(t testing.TB, url string) string {
	t.Helper()
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("storetest: %s: %v", EnvRedis, err)
	}
	prefix := "qunbot_t_" + randomName() + ":"
	t.Cleanup(func() {
		rdb := redis.NewClient(opt)
		defer rdb.Close()
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Errorf("storetest: clean redis prefix %s: %v", prefix, err)
		}
	})
	return prefix
}
