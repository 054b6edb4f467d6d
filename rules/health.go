package rules

import (
	"fmt"
	"math"
	"strings"
)

// Group health: the indicators the reports show with their change against
// the period before, and judge against the health.* thresholds. Each
// threshold belongs to a period — messages per member per day (a day, or a
// longer window's daily average), the share of members who spoke (a week),
// the quit rate (a month) — and is judged by the report of that period only.
// An indicator is not judged while its divisor is 0 (a group with no known
// members). A breach is flagged in the report and sent to staff privately,
// once per period because the report's run is.
type indicator struct {
	name  string // as the report names it
	value func(Stats) float64
	limit func(HealthSettings) float64
	above bool // breached above the limit (quit rate), else below
	// judged says whether the window has anything to judge.
	judged func(Stats) bool
	show   func(float64) string
	// points: the change is in percentage points rather than relative.
	points bool
}

var (
	messagesPerMember = indicator{name: sayIndicatorMessages,
		value:  func(st Stats) float64 { return st.MessagesPerMemberPerDay },
		limit:  func(h HealthSettings) float64 { return h.MessagesPerMember },
		judged: func(st Stats) bool { return st.Members > 0 },
		show:   func(v float64) string { return fmt.Sprintf(sayMessagesPerDay, v) }}
	speakerShare = indicator{name: sayIndicatorShare,
		value:  func(st Stats) float64 { return st.SpeakerShare },
		limit:  func(h HealthSettings) float64 { return h.SpeakerShare },
		judged: func(st Stats) bool { return st.Members+st.Left > 0 },
		show:   percent, points: true}
	quitRate = indicator{name: sayIndicatorQuit,
		value:  func(st Stats) float64 { return st.QuitRate },
		limit:  func(h HealthSettings) float64 { return h.QuitRate },
		judged: func(st Stats) bool { return st.Members+st.Total.Leaves > 0 },
		above:  true, show: percent, points: true}
)

// breached reports whether st breaches the indicator's threshold.
func (in indicator) breached(st Stats, h HealthSettings) bool {
	limit := in.limit(h)
	if limit < 0 || !in.judged(st) {
		return false
	}
	v := in.value(st)
	if in.above {
		return v > limit
	}
	return v < limit
}

// flag is the report's mark of a breach: "⚠️ 低于目标 0.80 条".
func (in indicator) flag(h HealthSettings) string { return "⚠️ " + in.breach(h) }

// breach says which side of the target: "低于目标 0.80 条".
func (in indicator) breach(h HealthSettings) string {
	side := sayBelow
	if in.above {
		side = sayAbove
	}
	return fmt.Sprintf(sayBreach, side, in.show(in.limit(h)))
}

// line is the indicator's report line: value, change, and a breach flag
// when judge is set.
func (in indicator) line(st, prev Stats, prevName string, h HealthSettings, judge bool) string {
	line := fmt.Sprintf(sayIndicatorLine, in.name, in.show(in.value(st)))
	if c := in.change(st, prev, prevName); c != "" {
		line += "（" + c + "）"
	}
	if judge && in.breached(st, h) {
		line += " " + in.flag(h)
	}
	return line
}

func (in indicator) change(st, prev Stats, prevName string) string {
	if !in.judged(prev) {
		return "" // nobody to compare with
	}
	if in.points {
		return pointChange(in.value(st), in.value(prev), prevName)
	}
	return relChange(in.value(st), in.value(prev), prevName)
}

// relChange is "较上周 +12%", "较上周 持平", or "" when the period before
// had nothing to compare with.
func relChange(cur, prev float64, prevName string) string {
	if prev == 0 {
		if cur == 0 {
			return fmt.Sprintf(sayChangeFlat, prevName)
		}
		return ""
	}
	pct := math.Round((cur - prev) / prev * 100)
	if pct == 0 {
		return fmt.Sprintf(sayChangeFlat, prevName)
	}
	return fmt.Sprintf(sayChangeRel, prevName, pct)
}

// pointChange is "较上周 +3.2个百分点" for two ratios.
func pointChange(cur, prev float64, prevName string) string {
	d := math.Round((cur-prev)*1000) / 10
	if d == 0 {
		return fmt.Sprintf(sayChangeFlat, prevName)
	}
	return fmt.Sprintf(sayChangePoints, prevName, d)
}

// breachText is the private alert for the indicators of p that st
// breached; "" when none did, or when nothing at all happened in the window
// (without the message archive qunbot hears only @-messages, and a window
// it heard nothing in tells nothing about the group).
func breachText(p period, st Stats, h HealthSettings) string {
	if quiet(st) {
		return ""
	}
	var lines []string
	for _, in := range p.judged {
		if in.breached(st, h) {
			lines = append(lines, fmt.Sprintf(sayHealthLine, in.name, in.show(in.value(st)), in.breach(h)))
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return fmt.Sprintf(sayHealthAlert, reportSpan(st), strings.Join(lines, "\n"))
}

// reportSpan names a window: "11-23", or "11-23 至 11-29".
func reportSpan(st Stats) string {
	return dayRange(st.From, st.To)
}
