package rules

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Follow-up in private, never public shaming: each week (with the weekly
// report's run) the owner and admins get the members below followup.quiet,
// oldest members first; when a member leaves of their own accord, staff get
// a note at once for a 回访. Neither is ever posted in the group.

// Followups is what the follow-up reads from the store. It joins Tx.
type Followups interface {
	// QuietMembers are the current members who joined before q.JoinedBefore
	// and sent fewer than q.Fewer messages from q.From to q.To (local days),
	// staff (q.Except) left out, longest in the group first: up to q.Limit of
	// them, and how many there are in all.
	QuietMembers(ctx context.Context, chatID string, q QuietQuery) (list []QuietMember, total int, err error)
}

// QuietQuery selects the members a follow-up lists.
type QuietQuery struct {
	From, To     string
	JoinedBefore time.Time
	Fewer        int
	Except       []string
	Limit        int
}

// QuietMember is one member of a follow-up list.
type QuietMember struct {
	UserID   string
	Messages int    // in the window
	LastDay  string // the last day they spoke; "" never
}

// followupShown is how many quiet members a follow-up names.
const followupShown = 30

// followupList is the week's follow-up text for staff, the window ending on
// last; "" when followup.quiet is off or nobody is below it. Only members who
// were in the group the whole window are listed: a newcomer is not quiet yet.
func (t *Turn) followupList(ctx context.Context, last string) (string, error) {
	q := t.Settings.Followup.Quiet
	if q.N == 0 {
		return "", nil
	}
	days := wholeDays(q.Per)
	from := addDays(last, 1-days)
	start, err := time.ParseInLocation(time.DateOnly, from, t.e.loc)
	if err != nil {
		return "", fmt.Errorf("rules: follow-up window: %w", err)
	}
	staff, err := t.Staff(ctx)
	if err != nil {
		return "", err
	}
	for a := range t.e.globalAdmins {
		staff = append(staff, a)
	}
	list, total, err := t.Tx.QuietMembers(ctx, t.Event.ChatID, QuietQuery{
		From: from, To: last, JoinedBefore: start, Fewer: q.N, Except: staff, Limit: followupShown})
	if err != nil || total == 0 {
		return "", err
	}
	names := make([]string, len(list))
	for i, m := range list {
		seen := sayFollowupNever
		if m.LastDay != "" {
			seen = fmt.Sprintf(sayFollowupSeen, m.Messages, sayDate(m.LastDay))
		}
		names[i] = fmt.Sprintf("%s（%s）", t.DisplayName(ctx, m.UserID), seen)
	}
	more := ""
	if total > len(list) {
		more = fmt.Sprintf(sayAndMore, total)
	}
	return fmt.Sprintf(sayFollowupTitle,
		days, q.N, total, strings.Join(names, "、"), more), nil
}

// leaveNote tells staff at once that a member left of their own accord: who,
// how long they stayed, their points, their last message and who invited
// them, for a 回访.
func (t *Turn) leaveNote(ctx context.Context, m Member, at time.Time) error {
	r, err := t.Tx.RosterPage(ctx, m.ChatID, RosterQuery{UserID: m.UserID, Limit: 1, Today: t.Day()})
	if err != nil {
		return err
	}
	lines := []string{fmt.Sprintf(sayLeaveTitle, t.DisplayName(ctx, m.UserID))}
	stay := sayLeaveStayUnknown
	if m.JoinedAt != nil {
		stay = fmt.Sprintf(sayLeaveStay, sayStay(at.Sub(*m.JoinedAt)), t.sayFullDate(*m.JoinedAt))
	}
	if m.Inviter != "" {
		stay += fmt.Sprintf(sayLeaveInviter, t.DisplayName(ctx, m.Inviter))
	}
	lines = append(lines, stay)
	points, last := 0, sayFollowupNever
	if len(r) == 1 {
		points = r[0].Balance
		if r[0].LastMessageAt != nil {
			last = t.sayMoment(*r[0].LastMessageAt)
		}
	}
	lines = append(lines, fmt.Sprintf(sayLeavePoints, points, last))
	_, err = t.tellStaff(ctx, strings.Join(lines, "\n"))
	return err
}

// sayStay is how long someone stayed: whole days, or under a day to the minute.
func sayStay(d time.Duration) string {
	switch {
	case d >= day:
		return fmt.Sprintf(sayStayDays, int(d/day))
	case d < time.Minute:
		return sayStayUnderMinute
	}
	return SayDuration(d.Truncate(time.Minute))
}
