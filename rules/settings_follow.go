package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// HealthSettings are the health.* thresholds the reports judge a group by:
// messages per member per day and the share of members who spoke in a week
// are flagged below theirs, the quit rate of a month above its own. A
// negative value is off.
type HealthSettings struct {
	MessagesPerMember float64
	SpeakerShare      float64
	QuitRate          float64
}

// FollowupSettings: members with fewer than Quiet.N messages within
// Quiet.Per are listed to staff each week (N = 0 turns it off).
type FollowupSettings struct {
	Quiet Rate
}

const oneDay = 24 * time.Hour

// thresholdKey reads a health threshold from 0 to maxV, or "off".
func thresholdKey(maxV float64, field func(*Settings) *float64) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		if v == "off" {
			*field(s) = -1
			return nil
		}
		f, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
		if err == nil && strings.HasSuffix(v, "%") {
			f /= 100
		}
		if err != nil || f < 0 || f > maxV {
			return fmt.Errorf("%q: want a number from 0 to %g (or off)", v, maxV)
		}
		*field(s) = f
		return nil
	}
}

// dayRateKey reads "<count>/<whole days>" with count ≥ minN and the days
// from 1 to maxDays.
func dayRateKey(minN, maxDays int, field func(*Settings) *Rate) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		r, err := parseRate(v)
		if err != nil {
			return err
		}
		if r.N < minN {
			return fmt.Errorf("%q: the count must be at least %d", v, minN)
		}
		if err := wholeDaysIn(r.Per, 1, maxDays); err != nil {
			return fmt.Errorf("%q: %w", v, err)
		}
		*field(s) = r
		return nil
	}
}

// daysKey reads a duration of whole days from minDays to maxDays.
func daysKey(minDays, maxDays int, field func(*Settings) *time.Duration) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		d, err := ParseDuration(v)
		if err != nil {
			return err
		}
		if err := wholeDaysIn(d, minDays, maxDays); err != nil {
			return fmt.Errorf("%q: %w", v, err)
		}
		*field(s) = d
		return nil
	}
}

func wholeDaysIn(d time.Duration, minDays, maxDays int) error {
	if d%oneDay != 0 || d < time.Duration(minDays)*oneDay || d > time.Duration(maxDays)*oneDay {
		return fmt.Errorf("want whole days from %dd to %dd", minDays, maxDays)
	}
	return nil
}
