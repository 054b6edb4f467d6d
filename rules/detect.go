package rules

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"time"
)

// detector is one violation kind and how a message is checked for it. The
// table is evaluated in order and the first hit is the violation.
type detector struct {
	kind  string
	check func(ctx context.Context, t *Turn, m Member) (reason string, hit bool, err error)
}

// detectors run on every message that is not a command, from members who are
// neither admins nor approved. The window-based ones come last so a message
// already caught does not also fill a window.
var detectors = []detector{
	{ViolationMuted, detectMuted},
	{ViolationBanword, detectBanword},
	{ViolationCard, detectMsgType("card", sayCardHit)},
	{ViolationMiniProgram, detectMsgType("miniprogram", sayMiniProgramHit)},
	{ViolationLink, detectForeignLink},
	{ViolationProbationLink, detectProbationLink},
	{ViolationRepeat, detectRepeat},
	{ViolationFlood, detectFlood},
}

// mutedFor is how long the member stays muted; zero when not muted.
func mutedFor(m Member, now time.Time) time.Duration {
	if m.MutedUntil == nil || !m.MutedUntil.After(now) {
		return 0
	}
	return m.MutedUntil.Sub(now)
}

// remaining writes a mute's remaining time, rounded up to the minute (to the
// second in its last minute): members read it, not a stopwatch.
func remaining(d time.Duration) string {
	unit := time.Minute
	if d < time.Minute {
		unit = time.Second
	}
	return SayDuration((d + unit - 1).Truncate(unit))
}

func detectMuted(_ context.Context, t *Turn, m Member) (string, bool, error) {
	d := mutedFor(m, t.Now)
	if d == 0 {
		return "", false, nil
	}
	return sayMutedSpeaking, true, nil
}

func detectBanword(ctx context.Context, t *Turn, _ Member) (string, bool, error) {
	m, err := t.e.banMatcher(ctx, t)
	if err != nil {
		return "", false, err
	}
	if w, ok := m.match(t.Event.Text); ok {
		return fmt.Sprintf(sayBanwordHit, w), true, nil
	}
	return "", false, nil
}

func detectMsgType(msgType, reason string) func(context.Context, *Turn, Member) (string, bool, error) {
	return func(_ context.Context, t *Turn, _ Member) (string, bool, error) {
		return reason, t.Event.MsgType == msgType, nil
	}
}

// detectForeignLink is on once the group lists allowed domains: links to any
// other domain are violations. With no list, links are only caught during
// probation.
func detectForeignLink(_ context.Context, t *Turn, _ Member) (string, bool, error) {
	allow := t.Settings.Violation.AllowDomains
	if len(allow) == 0 {
		return "", false, nil
	}
	if host, ok := foreignLink(t.Event.Text, allow); ok {
		return fmt.Sprintf(sayLinkHit, host), true, nil
	}
	return "", false, nil
}

func detectProbationLink(_ context.Context, t *Turn, m Member) (string, bool, error) {
	if !t.Settings.Violation.LinksInProbation || m.ProbationUntil == nil || !m.ProbationUntil.After(t.Now) {
		return "", false, nil
	}
	if t.Event.MsgType == "link" {
		return sayProbationLink, true, nil
	}
	if host, ok := foreignLink(t.Event.Text, t.Settings.Violation.AllowDomains); ok {
		return fmt.Sprintf(sayProbationHost, host), true, nil
	}
	return "", false, nil
}

func detectRepeat(ctx context.Context, t *Turn, _ Member) (string, bool, error) {
	text := normalizeText(t.Event.Text)
	if text == "" {
		return "", false, nil
	}
	sum := sha1.Sum([]byte(text))
	scope := "repeat:" + hex.EncodeToString(sum[:8])
	r := t.Settings.Violation.Repeat
	return windowHit(ctx, t, scope, r, fmt.Sprintf(sayRepeatHit, SayDuration(r.Per), r.N))
}

func detectFlood(ctx context.Context, t *Turn, _ Member) (string, bool, error) {
	r := t.Settings.Violation.Flood
	return windowHit(ctx, t, "flood", r, fmt.Sprintf(sayFloodHit, SayDuration(r.Per), r.N))
}

// windowHit counts the message in the member's window for scope; reaching
// the rate is a violation, and the window starts over once the turn commits
// so one burst is one violation. When Redis fails, nothing is caught.
func windowHit(ctx context.Context, t *Turn, scope string, r Rate, reason string) (string, bool, error) {
	if r.N <= 0 || r.Per <= 0 {
		return "", false, nil
	}
	ev := t.Event
	n, err := t.e.modCounters().HitWindow(ctx, ev.ChatID, ev.From, scope, ev.ID, t.Now, r.Per)
	if err != nil {
		// The windows are rebuildable Redis state: without them a burst goes
		// uncaught, which is better than failing the member's message.
		t.e.log.Warn("moderation window", "chat_id", ev.ChatID, "scope", scope, "err", err)
		return "", false, nil
	}
	if n < r.N {
		return "", false, nil
	}
	t.AfterCommit(func(ctx context.Context) {
		if err := t.e.modCounters().ClearWindow(ctx, ev.ChatID, ev.From, scope); err != nil {
			t.e.log.Warn("clear moderation window", "chat_id", ev.ChatID, "scope", scope, "err", err)
		}
	})
	return reason, true, nil
}
