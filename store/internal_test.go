package store

import (
	"strings"
	"testing"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"

	"github.com/qunbot/qunbot/bot"
)

func TestBackoffBounds(t *testing.T) {
	tests := []struct {
		attempts int
		max      time.Duration
	}{{1, 5 * time.Second}, {2, 10 * time.Second}, {4, 40 * time.Second}, {8, 10 * time.Minute}, {40, 10 * time.Minute}}
	for _, tt := range tests {
		for range 200 {
			if got := backoff(tt.attempts); got < tt.max/2 || got > tt.max {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", tt.attempts, got, tt.max/2, tt.max)
			}
		}
	}
}

func TestMySQLDSNForcesUTC(t *testing.T) {
	got, err := mysqlDSN("u:p@tcp(db:3306)/qunbot?loc=Local&parseTime=false")
	if err != nil {
		t.Fatal(err)
	}
	c, err := mysqldrv.ParseDSN(got)
	if err != nil {
		t.Fatal(err)
	}
	if !c.ParseTime || c.Loc != time.UTC || c.Timeout == 0 || c.ReadTimeout == 0 || c.DBName != "qunbot" ||
		c.Params["time_zone"] != "'+00:00'" {
		t.Errorf("mysqlDSN() = %s: want parseTime, loc UTC, timeouts, db qunbot, session time zone", got)
	}
}

func TestRateKeyOfManyRecipientsIsBounded(t *testing.T) {
	to := make([]string, 40)
	for i := range to {
		to[i] = strings.Repeat("u", 30) + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	got := rateKey(bot.Action{Kind: bot.ActRemovalCard, To: to})
	if !strings.HasPrefix(got, "message:sha:") || len(got) > 191 {
		t.Errorf("rateKey(40 recipients) = %q, want a hashed message key within 191 bytes", got)
	}
	if n := len(limitsFor(bot.Action{Kind: bot.ActRemovalCard, To: to})); n != 40 {
		t.Errorf("limitsFor(40 recipients) has %d limits, want one per recipient", n)
	}
}

func TestRegistryIsConsistent(t *testing.T) {
	ms, err := sortedMigrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Version >= 1000 {
			t.Errorf("migration %s is outside the reserved ranges (1–999)", migrationLabel(m))
		}
	}
	saved := registry
	defer func() { registry = saved }()
	register(Migration{Version: 1, Name: "again", Up: upCore})
	if _, err := sortedMigrations(); err == nil {
		t.Error("sortedMigrations accepted version 1 twice")
	}
}

// The in-process Redis's expiry walk waits 50 times as long as it took,
// within its bounds.
func TestExpiryTickFollowsTheWalk(t *testing.T) {
	for _, c := range []struct{ took, want time.Duration }{
		{time.Millisecond, expiryTickMin},
		{20 * time.Millisecond, time.Second},
		{time.Second, expiryTickMax},
	} {
		if got := expiryTick(c.took); got != c.want {
			t.Errorf("expiryTick(%v) = %v, want %v", c.took, got, c.want)
		}
	}
}
