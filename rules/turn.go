package rules

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// Turn is the state of handling one event: what was seen, who asked, what
// the bot will say and what it will do.
type Turn struct {
	Event    bot.Event
	Tx       Tx
	Now      time.Time
	Settings *Settings // the group's settings; nil outside a group
	// Direct is true when an admin runs a group command from the 1:1 chat with
	// the app (/in G1 ...): notices then go to the group the normal way.
	Direct bool

	e               *Engine
	reply           []string
	outbound        []bot.Action
	done            bool
	role            *Role
	settingsChanged map[string]bool
	afterCommit     []func(ctx context.Context)
	boards          []BoardDelta  // applied to the leaderboards once committed
	print           *MessagePrint // the message's print and its match (archive.go)
	raw             Tx            // the store's Tx under the wrappers, for its optional interfaces
}

// Role is what the caller may do in the turn's group.
type Role int

const (
	RoleMember Role = iota
	RoleAdmin       // added with /admin add
	RoleOwner       // the group owner, or a QUNBOT_ADMINS userid
)

// UserError is a failure the member caused and should read, e.g. an unknown
// name or a bad duration. Its text is the reply; the turn is still recorded.
type UserError struct{ Msg string }

func (e *UserError) Error() string { return e.Msg }

// Userf builds a UserError.
func Userf(format string, args ...any) error {
	return &UserError{Msg: fmt.Sprintf(format, args...)}
}

func (e *Engine) newTurn(tx Tx, ev bot.Event, now time.Time) *Turn {
	return &Turn{Event: ev, Tx: tx, Now: now, e: e, raw: tx}
}

// Reply adds a line to the passive reply of the message being handled.
func (t *Turn) Reply(text string) {
	if text != "" {
		t.reply = append(t.reply, text)
	}
}

// Done ends the turn after the current stage.
func (t *Turn) Done() { t.done = true }

// Do queues WeCom calls; they are written to the outbox with the turn.
func (t *Turn) Do(actions ...bot.Action) { t.outbound = append(t.outbound, actions...) }

// AfterCommit runs fn once the turn is durable (never if it is rolled back or
// a duplicate). Use it for fast, rebuildable state such as Redis leaderboards.
func (t *Turn) AfterCommit(fn func(ctx context.Context)) { t.afterCommit = append(t.afterCommit, fn) }

// Local is the turn's time in the configured zone.
func (t *Turn) Local() time.Time { return t.Now.In(t.e.loc) }

// Day is the turn's calendar day in the configured zone, as YYYY-MM-DD.
func (t *Turn) Day() string { return t.Local().Format(time.DateOnly) }

// replyText is the passive reply, cut to MaxReplyLen (a long /reply list or
// /config must still fit the stored reply and WeCom's stream).
func (t *Turn) replyText() string { return clip(strings.Join(t.reply, "\n"), MaxReplyLen, replyCut) }

func (t *Turn) actions() []bot.Action {
	out := make([]bot.Action, 0, len(t.outbound)+1)
	if r := t.replyText(); r != "" {
		out = append(out, bot.Action{Kind: bot.ActReply, ChatID: t.Event.ChatID, Text: r})
	}
	return append(out, t.outbound...)
}

// fail turns a UserError into the reply; any other error aborts the turn.
func (t *Turn) fail(err error) error {
	var ue *UserError
	if errors.As(err, &ue) {
		t.Reply(ue.Msg)
		t.Done()
		return nil
	}
	return err
}

// resolveGroupContext handles "/in G1 <command>" from the 1:1 chat with the
// app (scope.go), or records the group and the speaker of a group message.
func (t *Turn) resolveGroupContext(ctx context.Context) error {
	ev := &t.Event
	if ev.ChatID == "" {
		if rest, ok := cutCommand(ev.Text, "/in"); ok {
			return t.enterNamedGroup(ctx, rest)
		}
		return nil
	}
	if err := t.enterGroup(ctx, ev.ChatID); err != nil {
		return err
	}
	return t.touchSpeaker(ctx)
}

// enterGroup records the group and loads its settings.
func (t *Turn) enterGroup(ctx context.Context, chatID string) error {
	if chatID == "" {
		return nil
	}
	if err := t.Tx.EnsureGroup(ctx, chatID, t.Now); err != nil {
		return err
	}
	s, err := t.e.settings.get(ctx, t.Tx, chatID)
	if err != nil {
		return err
	}
	t.Settings = s
	return nil
}

// touchSpeaker records the speaker as a member and, the first time, asks the
// address book for their name.
func (t *Turn) touchSpeaker(ctx context.Context) error {
	ev := t.Event
	_, err := t.Tx.Member(ctx, ev.ChatID, ev.From)
	if err == nil {
		return nil
	}
	if !errors.Is(err, ErrNotFound) {
		return err
	}
	if err := t.Tx.TouchMember(ctx, ev.ChatID, ev.From, t.Now); err != nil {
		return err
	}
	if t.e.apiEnabled {
		if _, err := t.Tx.Name(ctx, ev.From); errors.Is(err, ErrNotFound) {
			t.Do(bot.Action{Kind: bot.ActFetchUser, Users: []string{ev.From}})
		}
	}
	return nil
}

// Role returns the caller's role in the turn's group.
func (t *Turn) Role(ctx context.Context) (Role, error) {
	if t.role != nil {
		return *t.role, nil
	}
	r, err := t.roleOf(ctx, t.Event.From)
	if err != nil {
		return RoleMember, err
	}
	t.role = &r
	return r, nil
}

func (t *Turn) roleOf(ctx context.Context, userID string) (Role, error) {
	if t.e.globalAdmins[userID] || (t.Settings != nil && t.Settings.Owner == userID && userID != "") {
		return RoleOwner, nil
	}
	if t.Event.ChatID == "" {
		return RoleMember, nil
	}
	ok, err := t.Tx.IsGroupAdmin(ctx, t.Event.ChatID, userID)
	if err != nil || !ok {
		return RoleMember, err
	}
	return RoleAdmin, nil
}

// IsAdmin reports whether userID is an admin of the turn's group (detectors
// never catch admins).
func (t *Turn) IsAdmin(ctx context.Context, userID string) (bool, error) {
	r, err := t.roleOf(ctx, userID)
	return r >= RoleAdmin, err
}

// settingsDirty records that the group's settings changed, so every replica
// reloads them once the turn is committed.
func (t *Turn) settingsDirty(chatID string) {
	if t.settingsChanged == nil {
		t.settingsChanged = map[string]bool{}
	}
	t.settingsChanged[chatID] = true
}

// botEventIn is an empty event in a group, for reading outside a callback.
func botEventIn(chatID string) bot.Event { return bot.Event{ChatID: chatID} }
