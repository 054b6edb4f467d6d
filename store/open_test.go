package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/qunbot/qunbot/store"
)

func TestMigrateAppliesOnce(t *testing.T) {
	eachBackendOptions(t, func(t *testing.T, o store.Options) {
		got, err := store.Migrate(ctx, o)
		must(t, err)
		if len(got) == 0 || got[0] != "0001_core" || !slices.IsSorted(got) { // features add theirs after core
			t.Errorf("first Migrate applied %v, want 0001_core first, all in version order", got)
		}
		got, err = store.Migrate(ctx, o)
		must(t, err)
		if len(got) != 0 {
			t.Errorf("second Migrate applied %v, want nothing", got)
		}
	})
}

func TestOpenReportsEmbeddedAndPings(t *testing.T) {
	eachBackendOptions(t, func(t *testing.T, o store.Options) {
		s, err := store.Open(ctx, o)
		must(t, err)
		db, rds := s.Embedded()
		if db != (o.MySQLDSN == "") || rds != (o.RedisURL == "") {
			t.Errorf("Embedded() = %v, %v for %+v", db, rds, o)
		}
		if part, err := s.Ping(ctx); err != nil {
			t.Errorf("Ping() = %q, %v", part, err)
		}
		if s.Redis() == nil {
			t.Error("Redis() = nil")
		}
		must(t, s.Close())
		must(t, s.Close()) // twice is harmless
		if part, err := s.Ping(ctx); err == nil || part != "database" {
			t.Errorf("Ping() after Close = %q, %v; want database, error", part, err)
		}
	})
}

func TestOpenFailsOnBadBackends(t *testing.T) {
	tests := []struct {
		name string
		o    store.Options
	}{
		{"bad mysql dsn", store.Options{MySQLDSN: "not a dsn"}},
		{"unreachable mysql", store.Options{MySQLDSN: "root@tcp(127.0.0.1:1)/x"}},
		{"bad redis url", store.Options{RedisURL: "nope://x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.o.DataDir = t.TempDir()
			if s, err := store.Open(ctx, tt.o); err == nil {
				s.Close()
				t.Fatal("Open succeeded, want an error")
			}
		})
	}
}

// A configured Redis that does not answer at start-up is not fatal: the store
// opens, the database works, and the Redis ping names the trouble.
func TestOpenWithRedisDown(t *testing.T) {
	s, err := store.Open(ctx, store.Options{DataDir: t.TempDir(), RedisURL: "redis://127.0.0.1:1/0"})
	must(t, err)
	defer s.Close()
	if err := s.PingDB(ctx); err != nil {
		t.Errorf("PingDB = %v", err)
	}
	if part, err := s.Ping(ctx); part != "redis" || err == nil {
		t.Errorf("Ping = %q, %v; want redis, an error", part, err)
	}
}

func TestTimesRoundTripInUTC(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		local := time.FixedZone("CST", 8*3600)
		at := time.Date(2026, 11, 21, 23, 59, 58, 987_654_321, local)
		must(t, s.EnsureGroup(ctx, "G1", at))
		gs, err := s.ListGroups(ctx)
		must(t, err)
		want := at.UTC().Truncate(time.Millisecond)
		if len(gs) != 1 || !gs[0].FirstSeen.Equal(want) || gs[0].FirstSeen.Location() != time.UTC {
			t.Fatalf("ListGroups() = %+v, want first seen %v in UTC", gs, want)
		}
	})
}

func TestNotFoundIsASentinel(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		if _, err := s.StoredReply(ctx, "nope"); !errors.Is(err, errNotFound) {
			t.Errorf("StoredReply(unknown) error = %v, want ErrNotFound", err)
		}
		if _, err := s.Member(ctx, "G1", "nope"); !errors.Is(err, errNotFound) {
			t.Errorf("Member(unknown) error = %v, want ErrNotFound", err)
		}
		if _, err := s.Name(ctx, "nope"); !errors.Is(err, errNotFound) {
			t.Errorf("Name(unknown) error = %v, want ErrNotFound", err)
		}
	})
}
