package store

import (
	"math/bits"
	"time"
)

// activitySpan is how many days back a member's activity bits reach; it
// covers the longest stats window (rules.MaxStatsDays).
const activitySpan = 128

// activity is a member's days spoken on, kept so that a window's segments
// read one row per recent speaker instead of one per member and day: bit i
// (of 128, in two words) says they spoke i days before last.
type activity struct {
	last string // YYYY-MM-DD; "" when they never spoke
	bits [2]uint64
}

// dayIndex numbers calendar days.
func dayIndex(day string) (int, bool) {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return 0, false
	}
	return int(t.Unix() / 86400), true
}

// mark records that the member spoke on day (which may be before last, for
// a turn that raced over midnight).
func (a activity) mark(day string) activity {
	d, okDay := dayIndex(day)
	l, okLast := dayIndex(a.last)
	switch {
	case !okDay:
	case !okLast:
		a = activity{last: day, bits: [2]uint64{1, 0}}
	case d > l:
		a.bits = shiftBits(a.bits, d-l)
		a.bits[0] |= 1
		a.last = day
	case l-d < activitySpan:
		a.bits[(l-d)/64] |= 1 << ((l - d) % 64)
	}
	return a
}

// shiftBits ages the bits by n days.
func shiftBits(b [2]uint64, n int) [2]uint64 {
	switch {
	case n >= activitySpan:
		return [2]uint64{}
	case n >= 64:
		return [2]uint64{0, b[0] << (n - 64)}
	case n == 0:
		return b
	}
	return [2]uint64{b[0] << n, b[1]<<n | b[0]>>(64-n)}
}

// daysIn counts the days of [from, to] the member spoke on.
func (a activity) daysIn(from, to string) int {
	f, ok1 := dayIndex(from)
	t, ok2 := dayIndex(to)
	if !ok1 || !ok2 {
		return 0
	}
	return a.daysBetween(f, t)
}

// daysBetween counts the days numbered f to t (dayIndex) the member spoke on.
func (a activity) daysBetween(f, t int) int {
	l, ok := dayIndex(a.last)
	if !ok {
		return 0
	}
	lo, hi := max(l-t, 0), min(l-f, activitySpan-1) // bit positions of the window
	n := 0
	for w := range 2 {
		start, end := max(lo, w*64), min(hi, w*64+63)
		if start > end {
			continue
		}
		width := end - start + 1
		mask := ^uint64(0)
		if width < 64 {
			mask = (1<<width - 1) << (start - w*64)
		}
		n += bits.OnesCount64(a.bits[w] & mask)
	}
	return n
}

// lastOn is the latest day on or before day the member spoke on; "" when
// none that the bits remember.
func (a activity) lastOn(day string) string {
	d, ok1 := dayIndex(day)
	l, ok2 := dayIndex(a.last)
	switch {
	case !ok1 || !ok2:
		return ""
	case l <= d:
		return a.last
	}
	for i := l - d; i < activitySpan; i++ {
		if a.bits[i/64]&(1<<(i%64)) != 0 {
			return time.Unix(int64(l-i)*86400, 0).UTC().Format(time.DateOnly)
		}
	}
	return ""
}
