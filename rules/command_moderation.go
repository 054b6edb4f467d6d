package rules

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// The manual moderation commands, slash forms only: a Chinese alias such as
// 警告 would catch ordinary sentences that start with it. Each writes the
// modlog; the framework already refuses non-admins with 无权限 and logs the
// attempt.
var (
	warnCommand = &Command{Name: "warn", Usage: sayUseWarn,
		Summary: sayAboutWarn, Role: RoleAdmin, Run: runWarn}
	unwarnCommand = &Command{Name: "unwarn", Usage: sayUseUnwarn,
		Summary: sayAboutUnwarn, Role: RoleAdmin, Run: runUnwarn}
	warningsCommand = &Command{Name: "warnings", Usage: sayUseWarnings,
		Summary: sayAboutWarnings, Role: RoleAdmin, Run: runWarnings}
	muteCommand = &Command{Name: "mute", Usage: sayUseMute,
		Summary: sayAboutMute, Role: RoleAdmin, Run: runMute}
	unmuteCommand = &Command{Name: "unmute", Usage: sayUseUnmute,
		Summary: sayAboutUnmute, Role: RoleAdmin, Run: runUnmute}
	kickCommand = &Command{Name: "kick", Usage: sayUseKick,
		Summary: sayAboutKick, Role: RoleAdmin, Run: runKick}
	approveCommand = &Command{Name: "approve", Usage: sayUseApprove,
		Summary: sayAboutApprove, Role: RoleAdmin, Run: runApprove(true)}
	unapproveCommand = &Command{Name: "unapprove", Usage: sayUseUnapprove,
		Summary: sayAboutUnapprove, Role: RoleAdmin, Run: runApprove(false)}
)

// manualOffence resolves the target of a manual action, refusing admins, and
// describes the action for the modlog. The evidence is the message the admin
// quoted, or else the command itself.
func (t *Turn) manualOffence(ctx context.Context, a Args, kind string) (offence, error) {
	if a.Get(0) == "" {
		return offence{}, Userf(sayNameWho)
	}
	reasonAt := 1
	if kind == ActionMute {
		reasonAt = 2 // after the duration
	}
	if err := checkLen(sayFieldReason, a.Rest(reasonAt), MaxReasonLen); err != nil {
		return offence{}, err
	}
	user, err := t.ResolveUser(ctx, a.Get(0))
	if err != nil {
		return offence{}, err
	}
	if admin, err := t.IsAdmin(ctx, user); err != nil || admin {
		if err != nil {
			return offence{}, err
		}
		return offence{}, Userf(sayAdminIsImmune, t.DisplayName(ctx, user))
	}
	// One known from the address book who never spoke here is a member all
	// the same: acting on them records them, so the member API agrees.
	if _, err := t.member(ctx, user); err != nil {
		return offence{}, err
	}
	evidence := t.Event.Quote
	if evidence == "" {
		evidence = t.Event.Text
	}
	reason := sayManualReason
	if r := a.Rest(1); r != "" && kind != ActionMute {
		reason = r
	}
	return offence{User: user, Kind: kind, Reason: reason, Evidence: asEvidence(evidence), Actor: t.Event.From}, nil
}

// tell posts a manual action's notice the section 7.2 way (INTERFACE.md
// section 8: no member message to answer) and returns it as the admin's
// reply. When the admin acted by @-mentioning the bot in the group and the
// post would land in that same group, the reply already says it there: the
// post is skipped so the group does not read every notice twice.
func (t *Turn) tell(ctx context.Context, notice, userID string) (string, error) {
	if t.Event.Channel.AIBot() && !t.Direct {
		if inGroup, err := t.postsIntoGroup(ctx); err != nil || inGroup {
			return notice, err
		}
	}
	return notice, t.Post(ctx, notice, userID)
}

func runWarn(ctx context.Context, t *Turn, a Args) (string, error) {
	o, err := t.manualOffence(ctx, a, ViolationManual)
	if err != nil {
		return "", err
	}
	notice, err := t.punish(ctx, o)
	if err != nil {
		return "", err
	}
	return t.tell(ctx, notice, o.User)
}

func runUnwarn(ctx context.Context, t *Turn, a Args) (string, error) {
	o, err := t.manualOffence(ctx, a, ViolationManual)
	if err != nil {
		return "", err
	}
	active, err := t.Tx.ActiveViolations(ctx, t.Event.ChatID, o.User, activeSince(t.Settings, t.Now), false)
	if err != nil {
		return "", err
	}
	name := t.DisplayName(ctx, o.User)
	if len(active) == 0 {
		return "", Userf(sayNoWarnings, name)
	}
	if err := t.Tx.RevokeViolation(ctx, active[0].ID, t.Event.From, t.Now); err != nil {
		return "", err
	}
	o.Reason = fmt.Sprintf(sayUnwarnReason, active[0].Reason)
	if err := t.modlog(ctx, ModUnwarn, o, o.Reason); err != nil {
		return "", err
	}
	top := climb(t.Settings.Violation.Ladder, 0, len(active)-1).Top
	return fmt.Sprintf(sayUnwarned, name, active[0].Reason, len(active)-1, top), nil
}

func runWarnings(ctx context.Context, t *Turn, a Args) (string, error) {
	user, err := t.ResolveUser(ctx, a.Get(0))
	if err != nil {
		return "", err
	}
	active, err := t.Tx.ActiveViolations(ctx, t.Event.ChatID, user, activeSince(t.Settings, t.Now), false)
	if err != nil {
		return "", err
	}
	top := climb(t.Settings.Violation.Ladder, 0, len(active)).Top
	lines := []string{fmt.Sprintf(sayWarningsTitle, t.DisplayName(ctx, user), len(active), top,
		SayDuration(t.Settings.Violation.Expire))}
	for i, v := range active {
		lines = append(lines, fmt.Sprintf(sayWarningsLine, i+1, t.sayMoment(v.At), v.Reason))
	}
	return strings.Join(lines, "\n"), nil
}

func runMute(ctx context.Context, t *Turn, a Args) (string, error) {
	o, err := t.manualOffence(ctx, a, ActionMute)
	if err != nil {
		return "", err
	}
	d, err := parseDurationIn(a.Get(1), time.Second, maxMute)
	if err != nil {
		return "", Userf(sayMuteUsage, muteUsage, SayDuration(maxMute))
	}
	if r := a.Rest(2); r != "" {
		o.Reason = r
	}
	until, kept, err := t.extendMute(ctx, o.User, t.Now.Add(d))
	if err != nil {
		return "", err
	}
	if err := t.modlog(ctx, ModMute, o, fmt.Sprintf(sayMuteReason, o.Reason, SayDuration(d))); err != nil {
		return "", err
	}
	notice := fmt.Sprintf(sayMuteNotice, t.DisplayName(ctx, o.User), o.Reason, SayDuration(d), t.sayMoment(until))
	if kept { // a mute never shortens one already running; /unmute first to shorten it
		notice = fmt.Sprintf(sayMuteKept, t.DisplayName(ctx, o.User), o.Reason, t.sayMoment(until), SayDuration(d))
	}
	return t.tell(ctx, notice, o.User)
}

const muteUsage = sayUseMute

func runUnmute(ctx context.Context, t *Turn, a Args) (string, error) {
	o, err := t.manualOffence(ctx, a, ActionMute)
	if err != nil {
		return "", err
	}
	m, err := t.member(ctx, o.User)
	if err != nil {
		return "", err
	}
	name := t.DisplayName(ctx, o.User)
	if mutedFor(m, t.Now) == 0 {
		return "", Userf(sayNotMuted, name)
	}
	if _, err := t.setMute(ctx, o.User, time.Time{}); err != nil {
		return "", err
	}
	if err := t.modlog(ctx, ModUnmute, o, sayUnmuteReason); err != nil {
		return "", err
	}
	return t.tell(ctx, fmt.Sprintf(sayUnmuteNotice, name), o.User)
}

func runKick(ctx context.Context, t *Turn, a Args) (string, error) {
	o, err := t.manualOffence(ctx, a, ActionRemove)
	if err != nil {
		return "", err
	}
	outcome, err := t.remove(ctx, o)
	if err != nil {
		return "", err
	}
	if t.Settings.Kind != KindAppChat {
		// a pending removal is for staff, who have the card: the admin is
		// answered, the group is not told
		return fmt.Sprintf(sayKickAsked, outcome, t.DisplayName(ctx, o.User), o.Reason), nil
	}
	return t.tell(ctx, fmt.Sprintf(sayKickNotice, t.DisplayName(ctx, o.User), o.Reason, outcome), o.User)
}

func runApprove(approved bool) func(ctx context.Context, t *Turn, a Args) (string, error) {
	return func(ctx context.Context, t *Turn, a Args) (string, error) {
		user, err := t.ResolveUser(ctx, a.Get(0))
		if err != nil {
			return "", err
		}
		m, err := t.member(ctx, user)
		if err != nil {
			return "", err
		}
		m.Approved = approved
		if err := t.Tx.SaveMember(ctx, m); err != nil {
			return "", err
		}
		if approved {
			return fmt.Sprintf(sayApproved, t.DisplayName(ctx, user)), nil
		}
		return fmt.Sprintf(sayUnapproved, t.DisplayName(ctx, user)), nil
	}
}
