package rules

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/qunbot/qunbot/bot"
)

// Post sends a message the bot starts itself (welcome, notice, report) to the
// turn's group, the way INTERFACE.md section 7.2 says: in long-connection mode
// by aibot_send_msg into a group where a member has spoken to the bot;
// otherwise (and when WeCom refuses that) appchat groups through appchat/send,
// groups with a webhook key through webhook/send (naming mentions in
// mentioned_list), any other group to its owner and admins by message/send
// from the app, so staff can act.
func (t *Turn) Post(ctx context.Context, text string, mentions ...string) error {
	other, err := t.postOtherwise(ctx, text, mentions)
	if err != nil {
		return err
	}
	reachable, err := t.reachable(ctx)
	if err != nil {
		return err
	}
	if !reachable {
		t.Do(other...)
		return nil
	}
	t.Do(bot.Action{Kind: bot.ActAIBotSend, ChatID: t.Event.ChatID, Text: text,
		Key: t.Event.ID + ":post:" + strconv.Itoa(len(t.outbound)), Fallback: other})
	return nil
}

// postOtherwise is how a post reaches the group without the long connection.
func (t *Turn) postOtherwise(ctx context.Context, text string, mentions []string) ([]bot.Action, error) {
	s := t.Settings
	chatID := t.Event.ChatID
	switch {
	case s.Kind == KindAppChat:
		return []bot.Action{{Kind: bot.ActAppChatSend, ChatID: chatID, Text: text}}, nil
	case s.WebhookKey != "":
		return []bot.Action{{Kind: bot.ActWebhookSend, ChatID: chatID, Text: text, Mentions: mentions, WebhookKey: s.WebhookKey}}, nil
	}
	return t.staffMessage(ctx, text)
}

// staffMessage is text for the group's owner and admins, by message/send
// from the app; nothing when there is nobody to tell (no owner, no admin).
func (t *Turn) staffMessage(ctx context.Context, text string) ([]bot.Action, error) {
	staff, err := t.Staff(ctx)
	if err != nil || len(staff) == 0 {
		return nil, err
	}
	return []bot.Action{{Kind: bot.ActAppMessage, ChatID: t.Event.ChatID, To: staff, Text: t.staffHeader() + text}}, nil
}

// TellStaff sends text to the group's owner and admins only, by message/send
// from the app, whatever the group's kind: what staff decide about a member
// is never posted into the group.
func (t *Turn) TellStaff(ctx context.Context, text string) error {
	actions, err := t.staffMessage(ctx, text)
	t.Do(actions...)
	return err
}

// postsIntoGroup reports whether Post reaches the group itself (appchat,
// webhook or the long connection) rather than its staff.
func (t *Turn) postsIntoGroup(ctx context.Context) (bool, error) {
	if t.Settings.Kind == KindAppChat || t.Settings.WebhookKey != "" {
		return true, nil
	}
	return t.reachable(ctx)
}

// Staff are the group owner and admins (configured and added), without repeats.
func (t *Turn) Staff(ctx context.Context) ([]string, error) {
	added, err := t.Tx.GroupAdmins(ctx, t.Event.ChatID)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, u := range append([]string{t.Settings.Owner}, added...) {
		if u != "" && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out, nil
}

// staffHeader names the group in a message sent to staff outside it.
func (t *Turn) staffHeader() string {
	name := t.Settings.Name
	if name == "" {
		name = t.Event.ChatID
	}
	return "【" + name + "】"
}

// GroupName is the group's display name, or its chat id.
func (t *Turn) GroupName() string {
	if t.Settings != nil && t.Settings.Name != "" {
		return t.Settings.Name
	}
	return t.Event.ChatID
}

// DisplayName is a member's name from the directory, or their userid.
func (t *Turn) DisplayName(ctx context.Context, userID string) string {
	name, err := t.Tx.Name(ctx, userID)
	if err != nil || name == "" {
		return userID
	}
	return name
}

// Fill replaces {name}, {group} and {rules} in a template.
func (t *Turn) Fill(template, name string) string {
	rules := DefaultRules
	if t.Settings != nil {
		rules = t.Settings.Rules
	}
	return strings.NewReplacer("{name}", name, "{group}", t.GroupName(), "{rules}", rules).Replace(template)
}

// ResolveUser turns a command argument into a userid: "@name" by name, a
// bare argument as a userid or, failing that, a name. A user must be known
// in the group: seen there or in its member list (a member row), or in the
// address book (a directory name); names are looked up in the group first,
// then in the address book. Unknown and ambiguous names are a UserError, and
// nothing is recorded.
func (t *Turn) ResolveUser(ctx context.Context, arg string) (string, error) {
	arg = strings.TrimSpace(arg)
	name, byName := strings.CutPrefix(arg, "@")
	if name == "" {
		return "", Userf(sayNameWho)
	}
	if !byName && utf8.RuneCountInString(arg) <= MaxIDLen {
		if known, err := t.knownUser(ctx, arg); err != nil || known {
			return arg, err
		}
	}
	found, err := t.Tx.MembersNamed(ctx, t.Event.ChatID, name)
	if err != nil {
		return "", err
	}
	ids := make([]string, len(found))
	for i, m := range found {
		ids[i] = m.UserID
	}
	if len(ids) == 0 {
		if ids, err = t.Tx.UsersNamed(ctx, name, 10); err != nil {
			return "", err
		}
	}
	switch {
	case len(ids) == 1:
		return ids[0], nil
	case len(ids) > 1:
		return "", Userf(sayNameAmbiguous, len(ids), name, strings.Join(ids, "、"))
	}
	return "", Userf(sayNameUnknown, name)
}

// knownUser reports whether userID is a member of the turn's group (now or
// before) or in the address book.
func (t *Turn) knownUser(ctx context.Context, userID string) (bool, error) {
	if _, err := t.Tx.Member(ctx, t.Event.ChatID, userID); !errors.Is(err, ErrNotFound) {
		return err == nil, err
	}
	if _, err := t.Tx.Name(ctx, userID); !errors.Is(err, ErrNotFound) {
		return err == nil, err
	}
	return false, nil
}
