package rules

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/qunbot/qunbot/bot"
)

// Reports name the most active members publicly, but never the quiet ones:
// their names go to staff only (silentList for /stats, the weekly follow-up),
// by app message.

const (
	topActiveShown = 5  // most active members named in a report
	silentShown    = 20 // silent members named to staff
)

// percent shows a ratio such as 0.025 as "2.5%".
func percent(r float64) string { return fmt.Sprintf("%.1f%%", r*100) }

// statsLines are the public lines of /stats over st: counts, ratios and
// segments, and the most active members by name.
func (t *Turn) statsLines(ctx context.Context, title string, st Stats, top []Speaker) []string {
	lines := []string{title,
		fmt.Sprintf(sayStatsCounts, st.Total.Messages, st.Speakers,
			percent(st.SpeakerShare), st.Total.Checkins),
		fmt.Sprintf(sayStatsMoves, st.Total.Joins, st.Total.Leaves, percent(st.QuitRate)),
		segmentsLine(st),
	}
	if line := t.topLine(ctx, st, top); line != "" {
		lines = append(lines, line)
	}
	return lines
}

// segmentsLine is "成员20人：高价值1 · 潜在10 · 沉默5 · 流失4（流失含本期退群2人）".
func segmentsLine(st Stats) string {
	sg := st.Segments
	line := fmt.Sprintf(sayStatsSegments,
		st.Members, sg.HighValue, sg.Potential, sg.Silent, sg.Churned)
	if st.Left > 0 { // those who left are not members, but count as churned
		line += fmt.Sprintf(sayStatsSegmentsLeft, st.Left)
	}
	return line
}

// reportLines are the public lines of a scheduled report: counts with their
// change against the period before, the indicators (flagged where p judges
// them and they breach), the segments and the most active members.
func (t *Turn) reportLines(ctx context.Context, p period, st, prev Stats, top []Speaker) []string {
	count := func(name string, cur, before int, unit string) string {
		s := fmt.Sprintf(sayReportCount, name, cur, unit)
		if c := relChange(float64(cur), float64(before), p.prevName); c != "" {
			s += "（" + c + "）"
		}
		return s
	}
	lines := []string{p.title,
		dotJoin(count(sayCountMessages, st.Total.Messages, prev.Total.Messages, sayUnitMessages), count(sayCountSpeakers, st.Speakers, prev.Speakers, sayUnitPeople),
			fmt.Sprintf(sayReportCheckins, st.Total.Checkins)),
		fmt.Sprintf(sayReportMoves, st.Total.Joins, st.Total.Leaves),
	}
	h := t.Settings.Health
	for _, in := range p.judged {
		lines = append(lines, in.line(st, prev, p.prevName, h, true))
	}
	for _, in := range p.shown {
		lines = append(lines, in.line(st, prev, p.prevName, h, false))
	}
	if p.segments {
		lines = append(lines, segmentsLine(st))
	}
	if line := t.topLine(ctx, st, top); line != "" {
		lines = append(lines, line)
	}
	return lines
}

// topLine names the most active members: days spoken on, and messages;
// over a single day only the messages.
func (t *Turn) topLine(ctx context.Context, st Stats, top []Speaker) string {
	if len(top) == 0 {
		return ""
	}
	parts := make([]string, len(top))
	for i, s := range top {
		if st.From == st.To {
			parts[i] = fmt.Sprintf(sayTopActiveDay, t.DisplayName(ctx, s.UserID), s.Messages)
		} else {
			parts[i] = fmt.Sprintf(sayTopActiveDays, t.DisplayName(ctx, s.UserID), s.Days, s.Messages)
		}
	}
	return fmt.Sprintf(sayTopActive, strings.Join(parts, "、"))
}

// silentList is /stats' staff-only list of the current members who did not
// speak in the window (the first silentShown, longest in the group first);
// "" when everyone spoke.
func (t *Turn) silentList(ctx context.Context, st Stats, window string) (string, error) {
	if st.Unheard == 0 {
		return "", nil
	}
	ids, err := t.Tx.SilentMembers(ctx, t.Event.ChatID, st.Window, silentShown)
	if err != nil || len(ids) == 0 {
		return "", err
	}
	names := make([]string, len(ids))
	for i, u := range ids {
		names[i] = t.DisplayName(ctx, u)
	}
	more := ""
	if st.Unheard > len(ids) {
		more = fmt.Sprintf(sayAndMore, st.Unheard)
	}
	return fmt.Sprintf(saySilentList,
		window, st.Unheard, strings.Join(names, "、"), more), nil
}

// tellStaff sends text to the group's owner and admins (and extra, without
// repeats) by app message; sent is false when there is nobody to tell.
func (t *Turn) tellStaff(ctx context.Context, text string, extra ...string) (sent bool, err error) {
	staff, err := t.Staff(ctx)
	if err != nil {
		return false, err
	}
	for _, u := range extra {
		if u != "" && !slices.Contains(staff, u) {
			staff = append(staff, u)
		}
	}
	if len(staff) == 0 {
		return false, nil
	}
	t.Do(bot.Action{Kind: bot.ActAppMessage, ChatID: t.Event.ChatID, To: staff, Text: t.staffHeader() + text})
	return true, nil
}

// postsToStaff reports whether Post reaches the staff rather than the group
// (no appchat, no webhook key).
func (t *Turn) postsToStaff() bool {
	return t.Settings.Kind != KindAppChat && t.Settings.WebhookKey == ""
}

// report posts public (nil: nothing to post) the section 7.2 way and gives
// private to staff only: in the same message when the post goes to staff
// anyway, else by app message.
func (t *Turn) report(ctx context.Context, public []string, private string) error {
	switch {
	case private == "":
	case public == nil:
		_, err := t.tellStaff(ctx, private)
		return err
	case t.postsToStaff():
		public = append(public, "", private)
	default:
		if _, err := t.tellStaff(ctx, private); err != nil {
			return err
		}
	}
	if public == nil {
		return nil
	}
	return t.Post(ctx, strings.Join(public, "\n"))
}

// dotJoin joins parts with " · ", without the space after a closing "）",
// as the other lines of a report read.
func dotJoin(parts ...string) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			if !strings.HasSuffix(parts[i-1], "）") {
				b.WriteString(" ")
			}
			b.WriteString("· ")
		}
		b.WriteString(p)
	}
	return b.String()
}

// joinParagraphs joins the non-empty texts with a blank line.
func joinParagraphs(texts ...string) string {
	var keep []string
	for _, s := range texts {
		if s != "" {
			keep = append(keep, s)
		}
	}
	return strings.Join(keep, "\n\n")
}
