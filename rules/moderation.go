package rules

import (
	"context"
	"errors"
)

// runModeration is the second message stage: the detectors, then the ladder.
// A violation ends the turn (the message earns nothing and gets no keyword
// reply) except in shadow mode, where it is only recorded.
func runModeration(ctx context.Context, t *Turn) error {
	ev := t.Event
	if ev.ChatID == "" || t.Direct || t.Settings == nil {
		return nil
	}
	m, exempt, err := t.exempt(ctx, ev.From)
	if err != nil || exempt {
		return err
	}
	for _, d := range detectors {
		reason, hit, err := d.check(ctx, t, m)
		if err != nil {
			return err
		}
		if !hit {
			continue
		}
		evidence := asEvidence(ev.Text)
		if evidence == "" {
			evidence = "[" + ev.MsgType + "]"
		}
		notice, err := t.punish(ctx, offence{User: ev.From, Kind: d.kind, Reason: reason, Evidence: evidence, Actor: botActor})
		if err != nil {
			return err
		}
		t.e.hit("violation:" + d.kind)
		if t.Settings.Mode == ModeShadow {
			return nil
		}
		t.Done()
		return t.announce(ctx, notice, ev.From)
	}
	return nil
}

// exempt reports whether detectors skip userID: admins and approved members.
func (t *Turn) exempt(ctx context.Context, userID string) (Member, bool, error) {
	if admin, err := t.IsAdmin(ctx, userID); err != nil || admin {
		return Member{}, admin, err
	}
	m, err := t.member(ctx, userID)
	return m, m.Approved, err
}

// announce says a moderation decision caused by the member's own message in
// its passive reply; a message the bot cannot answer (one from the archive)
// gets a post to the group naming the member (INTERFACE.md section 8).
func (t *Turn) announce(ctx context.Context, notice, userID string) error {
	if t.Event.Channel.AIBot() {
		t.Reply(notice)
		return nil
	}
	return t.Post(ctx, notice, userID)
}

// muteGate refuses a muted member every command but 帮助 and 规则, saying how
// long the mute lasts.
func muteGate(ctx context.Context, t *Turn, c *Command) error {
	if c.WhileMuted || t.Event.ChatID == "" || t.Direct {
		return nil
	}
	m, err := t.Tx.Member(ctx, t.Event.ChatID, t.Event.From)
	if errors.Is(err, ErrNotFound) {
		return nil // never seen: cannot be muted
	}
	if err != nil {
		return err
	}
	if d := mutedFor(m, t.Now); d > 0 {
		return Userf(sayMutedRefusal, remaining(d))
	}
	return nil
}
