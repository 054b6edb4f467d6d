package rules

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// An admin (or a member) may run a group's command from the 1:1 chat with
// the app: "/in G1 /warn bob 刷屏". The group must be one qunbot knows (named
// in the YAML file, or seen); member commands need the caller to be a member
// of it, admin commands to be its admin. A refusal records nothing but a
// denied modlog row in that group: no group, no member, no ledger row.

// enterNamedGroup reads "/in <chatid> <command>" (rest is what follows /in)
// and loads the named group's settings without recording anything.
func (t *Turn) enterNamedGroup(ctx context.Context, rest string) error {
	chatID, cmd := cutWord(strings.TrimSpace(rest))
	cmd = strings.TrimSpace(cmd)
	if chatID == "" || cmd == "" {
		return Userf(sayInUsage)
	}
	if utf8.RuneCountInString(chatID) > MaxIDLen {
		return Userf(sayInTooLong, chatID)
	}
	known := t.e.settings.configured(chatID)
	if !known {
		seen, err := t.Tx.GroupSeen(ctx, chatID)
		if err != nil {
			return err
		}
		known = seen
	}
	if !known {
		return Userf(sayInUnknownGroup, chatID)
	}
	s, err := t.e.settings.get(ctx, t.Tx, chatID)
	if err != nil {
		return err
	}
	t.Settings, t.Direct = s, true
	t.Event.ChatID, t.Event.Text = chatID, cmd
	return nil
}

// scope refuses a member command run with /in by someone who is not a
// member of the group (admin commands are refused by permit).
func (t *Turn) scope(ctx context.Context, c *Command) error {
	if !t.Direct || c.Role != RoleMember {
		return nil
	}
	m, err := t.Tx.Member(ctx, t.Event.ChatID, t.Event.From)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if err == nil && m.LeftAt == nil {
		return nil
	}
	return t.denyWith(ctx, "/in "+c.Name, fmt.Sprintf(sayNotMemberOf, t.GroupName(), c.Usage))
}

// recordNamedGroup records a group named by /in once a command in it is
// permitted (a configured group may not have been seen yet).
func (t *Turn) recordNamedGroup(ctx context.Context) error {
	if !t.Direct {
		return nil
	}
	return t.Tx.EnsureGroup(ctx, t.Event.ChatID, t.Now)
}
