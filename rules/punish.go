package rules

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// offence is one violation about to be recorded.
type offence struct {
	User     string
	Kind     string
	Reason   string
	Evidence string
	Actor    string // botActor for detectors, the admin for /warn
}

// punish records a violation and runs the ladder, all in the turn's
// transaction. In shadow mode a detector's violation is recorded as a shadow
// one and a ModShadow row says what would have happened; nothing is done. It
// returns the notice naming the member, or "" in shadow mode.
func (t *Turn) punish(ctx context.Context, o offence) (string, error) {
	s := t.Settings
	chatID := t.Event.ChatID
	o.Reason = clip(o.Reason, MaxReasonLen, "…") // a detector's reason may quote the message
	shadow := s.Mode == ModeShadow && o.Actor == botActor
	active, err := t.Tx.ActiveViolations(ctx, chatID, o.User, activeSince(s, t.Now), shadow)
	if err != nil {
		return "", err
	}
	err = t.Tx.AddViolation(ctx, Violation{
		ChatID: chatID, UserID: o.User, Kind: o.Kind, Reason: o.Reason, Evidence: o.Evidence,
		Source: t.Event.ID, Actor: o.Actor, Shadow: shadow, At: t.Now,
	})
	if err != nil {
		return "", err
	}
	step := climb(s.Violation.Ladder, len(active), len(active)+1)
	if shadow {
		return "", t.modlog(ctx, ModShadow, o, fmt.Sprintf(sayShadowRecord, o.Reason, actionWord(step.Rung), step.Count, step.Top))
	}
	outcome, err := t.applyRung(ctx, o, step.Rung)
	if err != nil {
		return "", err
	}
	name := t.DisplayName(ctx, o.User)
	notice := fmt.Sprintf(sayWarnNotice, name, o.Reason, outcome, step.Count, step.Top)
	if step.Past {
		notice += sayPastTop
	}
	return notice, nil
}

// applyRung does what a rung says and writes its modlog row; it returns how
// the notice describes the outcome.
func (t *Turn) applyRung(ctx context.Context, o offence, r Rung) (string, error) {
	switch r.Action {
	case ActionMute:
		until, kept, err := t.extendMute(ctx, o.User, t.Now.Add(r.For))
		if err != nil {
			return "", err
		}
		outcome := fmt.Sprintf(sayOutcomeMute, SayDuration(r.For), t.sayMoment(until))
		if kept {
			outcome = fmt.Sprintf(sayOutcomeMuteKept, t.sayMoment(until))
		}
		return outcome, t.modlog(ctx, ModMute, o, fmt.Sprintf(sayMuteReason, o.Reason, SayDuration(r.For)))
	case ActionRemove:
		return t.remove(ctx, o)
	}
	return sayOutcomeWarn, t.modlog(ctx, ModWarn, o, o.Reason)
}

// actionWord names a rung in a shadow record.
func actionWord(r Rung) string {
	switch r.Action {
	case ActionMute:
		return fmt.Sprintf(sayActionMute, SayDuration(r.For))
	case ActionRemove:
		return sayActionRemove
	}
	return sayActionWarn
}

// modlog writes one modlog row about o.
func (t *Turn) modlog(ctx context.Context, action string, o offence, reason string) error {
	return t.Tx.AddModlog(ctx, ModEntry{
		ChatID: t.Event.ChatID, Action: action, Actor: o.Actor, Target: o.User,
		Reason: reason, Evidence: o.Evidence, Source: t.Event.ID, At: t.Now,
	})
}

// member reads a member, recording one the bot has not seen yet.
func (t *Turn) member(ctx context.Context, userID string) (Member, error) {
	m, err := t.Tx.Member(ctx, t.Event.ChatID, userID)
	if !errors.Is(err, ErrNotFound) {
		return m, err
	}
	if err := t.Tx.TouchMember(ctx, t.Event.ChatID, userID, t.Now); err != nil {
		return Member{}, err
	}
	return t.Tx.Member(ctx, t.Event.ChatID, userID)
}

// extendMute mutes a member until until, or leaves a longer mute already
// running as it is (kept): a mute ends at the later of the two.
func (t *Turn) extendMute(ctx context.Context, userID string, until time.Time) (end time.Time, kept bool, err error) {
	m, err := t.member(ctx, userID)
	if err != nil {
		return until, false, err
	}
	if m.MutedUntil != nil && !m.MutedUntil.Before(until) {
		return *m.MutedUntil, true, nil
	}
	end, err = t.setMute(ctx, userID, until)
	return end, false, err
}

// setMute sets (or, with a zero until, lifts) a member's mute.
func (t *Turn) setMute(ctx context.Context, userID string, until time.Time) (time.Time, error) {
	m, err := t.member(ctx, userID)
	if err != nil {
		return until, err
	}
	m.MutedUntil = nil
	if !until.IsZero() {
		m.MutedUntil = &until
	}
	return until, t.Tx.SaveMember(ctx, m)
}
