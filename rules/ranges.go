package rules

import (
	"fmt"
	"strconv"
	"time"
)

// Every number a setting holds has a range, checked wherever a value comes
// in (the YAML file at start-up, /config, /welcome): README.md lists them.
// Together they bound every ledger row (one row moves at most 1,000,000
// points), and MaxPoints bounds what a member can hold, so no sum of points,
// in Go, SQL or Redis, can overflow.

const day = 24 * time.Hour

const (
	// MaxPoints is the most points a member can earn in a group; a credit
	// past it is refused. Sums of rows stay far inside int64 (and the 2^53
	// a Redis score holds exactly).
	MaxPoints = 1_000_000_000_000
	// maxLevelMin bounds a level's threshold; maxLevels the number of levels.
	maxLevelMin = 1_000_000_000
	maxLevels   = 50
	// maxRungs bounds the ladder: counts up to maxRungCount, mutes from a
	// minute to maxMute.
	maxRungs     = 20
	maxRungCount = 100
	// maxMute bounds a mute, by the ladder or by /mute.
	maxMute = 365 * day
	// maxShopNumber bounds an item's cost, stock and per-member limit.
	maxShopNumber = 1_000_000
	// maxRateCount bounds violation.flood and violation.repeat's counts,
	// maxRatePer their windows.
	maxRateCount = 1000
	maxRatePer   = day
)

// parseInt reads a whole number within [lo, hi].
func parseInt(v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf(sayWantInt, quoted(v), lo, hi)
	}
	return n, nil
}

// parseDurationIn reads a chat duration within [lo, hi].
func parseDurationIn(v string, lo, hi time.Duration) (time.Duration, error) {
	d, err := ParseDuration(v)
	if err != nil {
		return 0, err
	}
	if d < lo || d > hi {
		return 0, fmt.Errorf(sayWantDuration, quoted(v), sayBound(lo), SayDuration(hi))
	}
	return d, nil
}

// sayBound is a range's lower end: "0", or a duration members read.
func sayBound(d time.Duration) string {
	if d <= 0 {
		return "0"
	}
	return SayDuration(d)
}

func intKey(lo, hi int, field func(*Settings) *int) func(*Settings, string) error {
	return func(s *Settings, v string) (err error) {
		*field(s), err = parseInt(v, lo, hi)
		return err
	}
}

func durKey(lo, hi time.Duration, field func(*Settings) *time.Duration) func(*Settings, string) error {
	return func(s *Settings, v string) (err error) {
		*field(s), err = parseDurationIn(v, lo, hi)
		return err
	}
}
