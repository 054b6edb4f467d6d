package rules

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ParseDuration reads the chat durations 30s, 10m, 2h, 3d and 1w, and
// combinations such as 1d12h. "0" is zero.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "0" {
		return 0, nil
	}
	if s == "" {
		return 0, errors.New(sayDurationEmpty)
	}
	whole := s // problems quote what was typed, not the part left unread
	var total time.Duration
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) {
			return 0, fmt.Errorf(sayDurationForm, quoted(whole))
		}
		n, err := strconv.Atoi(s[:i])
		if err != nil {
			return 0, fmt.Errorf(sayDurationHuge, quoted(whole))
		}
		unit, ok := durationUnits[s[i]]
		if !ok {
			return 0, fmt.Errorf(sayDurationUnit, quoted(whole))
		}
		if time.Duration(n) > (math.MaxInt64-total)/unit {
			return 0, fmt.Errorf(sayDurationHuge, quoted(whole)) // it would wrap around to a negative duration
		}
		total += time.Duration(n) * unit
		s = s[i+1:]
	}
	return total, nil
}

// ladderForm is how a rung of violation.ladder is written.
const ladderForm = sayLadderForm

// quoted shows a value inside a problem: in 「」, on one line, and cut at 40
// characters so that a long value cannot flood the line.
func quoted(v string) string {
	v = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(v)
	return "「" + clip(v, 40, "…") + "」"
}

var durationUnits = map[byte]time.Duration{
	's': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour,
}

// FormatDuration writes a duration the way ParseDuration reads it.
func FormatDuration(d time.Duration) string {
	if d <= 0 {
		return "0"
	}
	var b strings.Builder
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{7 * 24 * time.Hour, "w"}, {24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if n := d / u.unit; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.name)
			d -= n * u.unit
		}
	}
	return b.String()
}

// SayDuration writes a duration for members to read: 30天, 1小时30分钟, 10分钟.
func SayDuration(d time.Duration) string {
	if d < time.Second {
		return sayZeroDuration
	}
	var b strings.Builder
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{24 * time.Hour, sayUnitDay}, {time.Hour, sayUnitHour}, {time.Minute, sayUnitMinute}, {time.Second, sayUnitSecond}} {
		if n := d / u.unit; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.name)
			d -= n * u.unit
		}
	}
	return b.String()
}

// splitList splits on commas and semicolons, ASCII or full-width.
func splitList(v string) []string {
	fields := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '，' || r == '；' })
	out := fields[:0]
	for _, f := range fields {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// ParseLevels reads "0 新人, 50 活跃成员, ...".
func ParseLevels(v string) ([]Level, error) {
	var levels []Level
	for _, item := range splitList(v) {
		f := strings.Fields(item)
		if len(f) != 2 {
			return nil, fmt.Errorf(sayLevelForm, quoted(item))
		}
		n, err := parseInt(f[0], 0, maxLevelMin)
		if err != nil {
			return nil, fmt.Errorf(sayItemPoints, quoted(item), err)
		}
		levels = append(levels, Level{Min: n, Title: f[1]})
	}
	if len(levels) == 0 || len(levels) > maxLevels {
		return nil, fmt.Errorf(sayLevelCount, maxLevels)
	}
	sort.Slice(levels, func(i, j int) bool { return levels[i].Min < levels[j].Min })
	return levels, nil
}

// ParseLadder reads "1 warn, 2 mute 10m, 3 remove".
func ParseLadder(v string) ([]Rung, error) {
	var ladder []Rung
	for _, item := range splitList(v) {
		f := strings.Fields(item)
		if len(f) < 2 {
			return nil, fmt.Errorf(sayWriteAs, quoted(item), ladderForm)
		}
		n, err := parseInt(f[0], 1, maxRungCount)
		if err != nil {
			return nil, fmt.Errorf(sayRungCount, quoted(item), err)
		}
		r := Rung{Count: n, Action: f[1]}
		switch {
		case r.Action == ActionMute && len(f) == 3:
			if r.For, err = parseDurationIn(f[2], time.Minute, maxMute); err != nil {
				return nil, fmt.Errorf(sayRungMute, quoted(item), err)
			}
		case (r.Action == ActionWarn || r.Action == ActionRemove) && len(f) == 2:
		default:
			return nil, fmt.Errorf(sayWriteAs, quoted(item), ladderForm)
		}
		ladder = append(ladder, r)
	}
	if len(ladder) > maxRungs {
		return nil, fmt.Errorf(sayRungsMax, maxRungs)
	}
	sort.Slice(ladder, func(i, j int) bool { return ladder[i].Count < ladder[j].Count })
	for i := 1; i < len(ladder); i++ {
		if ladder[i].Count == ladder[i-1].Count {
			return nil, fmt.Errorf(sayRungsTwice, ladder[i].Count)
		}
	}
	return ladder, nil
}

// ParseShop reads "name:cost[:stock[:limit]], ..." where an empty or "*" stock
// or limit means unlimited.
func ParseShop(v string) ([]ShopItem, error) {
	var items []ShopItem
	for _, item := range splitList(v) {
		f := strings.Split(item, ":")
		if len(f) < 2 || len(f) > 4 || strings.TrimSpace(f[0]) == "" {
			return nil, fmt.Errorf(sayShopForm, quoted(item))
		}
		it := ShopItem{Name: strings.TrimSpace(f[0]), Stock: -1, Limit: -1}
		if utf8.RuneCountInString(it.Name) > MaxItemLen {
			return nil, fmt.Errorf(sayShopNameLong, quoted(item), MaxItemLen)
		}
		var err error
		if it.Cost, err = parseInt(strings.TrimSpace(f[1]), 0, maxShopNumber); err != nil {
			return nil, fmt.Errorf(sayItemPoints, quoted(item), err)
		}
		for i, dst := range []*int{&it.Stock, &it.Limit} {
			if len(f) <= i+2 {
				break
			}
			s := strings.TrimSpace(f[i+2])
			if s == "" || s == "*" {
				continue
			}
			if *dst, err = parseInt(s, 0, maxShopNumber); err != nil {
				return nil, fmt.Errorf(sayShopStockForm, quoted(item), err)
			}
		}
		items = append(items, it)
	}
	return items, nil
}

func parseRate(v string) (Rate, error) {
	n, per, ok := strings.Cut(v, "/")
	if !ok {
		return Rate{}, fmt.Errorf(sayRateForm, quoted(v))
	}
	var r Rate
	var err error
	if r.N, err = parseInt(strings.TrimSpace(n), 0, maxRateCount); err != nil {
		return Rate{}, fmt.Errorf(sayRateCount, quoted(v), err)
	}
	if r.Per, err = parseDurationIn(per, 0, maxRatePer); err != nil {
		return Rate{}, err
	}
	return r, nil
}

func rateKey(field func(*Settings) *Rate) func(*Settings, string) error {
	return func(s *Settings, v string) (err error) {
		*field(s), err = parseRate(v)
		return err
	}
}

func boolKey(field func(*Settings) *bool) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf(sayWantBool, quoted(v))
		}
		*field(s) = b
		return nil
	}
}

func oneOf(dst *string, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			*dst = v
			return nil
		}
	}
	return fmt.Errorf(sayWantOneOf, quoted(v), strings.Join(allowed, "、"))
}

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// ParseClock reads "HH:MM"; "off" gives ok=false.
func ParseClock(v string) (hour, minute int, ok bool) {
	if v == "off" || v == "" {
		return 0, 0, false
	}
	t, err := time.Parse("15:04", v)
	if err != nil {
		return 0, 0, false
	}
	return t.Hour(), t.Minute(), true
}

// ParseWeekly reads "Mon 09:00"; "off" gives ok=false.
func ParseWeekly(v string) (day time.Weekday, hour, minute int, ok bool) {
	d, clock, found := strings.Cut(strings.TrimSpace(v), " ")
	wd, known := weekdays[strings.ToLower(d)]
	if !found || !known {
		return 0, 0, 0, false
	}
	hour, minute, ok = ParseClock(strings.TrimSpace(clock))
	return wd, hour, minute, ok
}

func checkClock(v string) error {
	if _, _, ok := ParseClock(v); !ok && v != "off" {
		return fmt.Errorf(sayWantClock, quoted(v))
	}
	return nil
}

func checkWeekly(v string) error {
	if _, _, _, ok := ParseWeekly(v); !ok && v != "off" {
		return fmt.Errorf(sayWantWeekly, quoted(v))
	}
	return nil
}
