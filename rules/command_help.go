package rules

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

var helpCommand = &Command{
	Name: "help", Aliases: []string{"帮助", "help", "菜单"}, Usage: "帮助", Summary: sayAboutHelp,
	AnyChat: true, WhileMuted: true, Run: runHelp,
}

var rulesCommand = &Command{
	Name: "rules", Aliases: []string{"规则", "群规"}, Usage: "规则", Summary: sayAboutRules,
	WhileMuted: true,
	Run: func(ctx context.Context, t *Turn, a Args) (string, error) {
		return fmt.Sprintf(sayRulesTitle, t.GroupName(), t.Settings.Rules), nil
	},
}

// runHelp lists the commands this caller may use, members' first: a muted
// member only those allowed while muted; an admin also the admin commands
// and, like everyone in the 1:1 chat, how to name a group with /in.
func runHelp(ctx context.Context, t *Turn, a Args) (string, error) {
	role, err := t.helpRole(ctx)
	if err != nil {
		return "", err
	}
	muted, err := t.callerMutedFor(ctx)
	if err != nil {
		return "", err
	}
	var member, admin []string
	for _, c := range t.e.commands.list {
		if c.Role > role || (muted > 0 && !c.WhileMuted) {
			continue
		}
		line := fmt.Sprintf(sayHelpLine, c.Usage, c.Summary)
		if c.Role == RoleMember {
			member = append(member, line)
		} else {
			admin = append(admin, line)
		}
	}
	header := sayHelpHeader
	if muted > 0 {
		header = fmt.Sprintf(sayHelpMutedHeader, remaining(muted))
	}
	lines := append([]string{header}, member...)
	if len(admin) > 0 {
		lines = append(append(lines, sayHelpAdminHeader), admin...)
	}
	if t.Event.ChatID == "" || (len(admin) > 0 && !t.Direct) {
		lines = append(lines, sayHelpInHint)
	}
	return strings.Join(lines, "\n"), nil
}

// helpRole is the caller's role for 帮助: in a group (or with /in) their
// role there; in the 1:1 chat an admin of every group, or the owner of a
// configured group, counts as an admin.
func (t *Turn) helpRole(ctx context.Context) (Role, error) {
	if t.Event.ChatID != "" {
		return t.Role(ctx)
	}
	if t.e.globalAdmins[t.Event.From] {
		return RoleOwner, nil
	}
	for _, g := range t.e.settings.groups {
		if g["owner"] != "" && g["owner"] == t.Event.From {
			return RoleOwner, nil
		}
	}
	return RoleMember, nil
}

// callerMutedFor is how long the caller stays muted in the turn's group;
// zero outside a group and for a member never seen.
func (t *Turn) callerMutedFor(ctx context.Context) (time.Duration, error) {
	if t.Event.ChatID == "" || t.Direct {
		return 0, nil
	}
	m, err := t.Tx.Member(ctx, t.Event.ChatID, t.Event.From)
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	return mutedFor(m, t.Now), err
}
