package rules

import (
	"fmt"
	"math"
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

// thresholdKey reads a health threshold from 0 to maxV (a share also as
// "60%"), or "off".
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
		if err != nil || f < 0 || f > maxV || math.IsNaN(f) {
			return fmt.Errorf(sayWantShare, quoted(v), maxV)
		}
		*field(s) = f
		return nil
	}
}

// maxFollowCount bounds the counts of followup.quiet and segment.high_value.
const maxFollowCount = 100_000

// dayRateKey reads "<count>/<whole days>": a count from minN, days from 1
// to maxDays.
func dayRateKey(minN, maxDays int, field func(*Settings) *Rate) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		n, per, ok := strings.Cut(v, "/")
		if !ok {
			return fmt.Errorf(sayWantQuiet, quoted(v))
		}
		var r Rate
		var err error
		if r.N, err = parseInt(strings.TrimSpace(n), minN, maxFollowCount); err != nil {
			return fmt.Errorf(sayQuietCount, quoted(v), err)
		}
		if r.Per, err = wholeDaysIn(per, 1, maxDays); err != nil {
			return err
		}
		*field(s) = r
		return nil
	}
}

// daysKey reads a duration of whole days from minDays to maxDays.
func daysKey(minDays, maxDays int, field func(*Settings) *time.Duration) func(*Settings, string) error {
	return func(s *Settings, v string) (err error) {
		*field(s), err = wholeDaysIn(v, minDays, maxDays)
		return err
	}
}

// wholeDaysIn reads a duration of whole days from minDays to maxDays.
func wholeDaysIn(v string, minDays, maxDays int) (time.Duration, error) {
	d, err := parseDurationIn(strings.TrimSpace(v), time.Duration(minDays)*day, time.Duration(maxDays)*day)
	if err != nil {
		return 0, err
	}
	if d%day != 0 {
		return 0, fmt.Errorf(sayWantDays, quoted(v))
	}
	return d, nil
}
