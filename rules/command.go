package rules

import (
	"context"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Command is one chat command. Commands are data: the table below is the
// whole list, permissions and gates are applied around Run in one place.
type Command struct {
	Name    string   // slash form without the slash: "warn" answers "/warn"
	Aliases []string // Chinese words and other forms: "签到"
	Usage   string   // shown by 帮助 and on a usage error
	Summary string
	Role    Role // the least role that may run it
	// AnyChat lets the command run outside a group (帮助 in a 1:1 chat).
	AnyChat bool
	// WhileMuted lets a muted member use it (帮助, 规则).
	WhileMuted bool
	// Glued lets its Chinese words take the argument without a space
	// (兑换咖啡券); other commands must be the whole word, so 签到了吗 is a
	// question, not a check-in.
	Glued bool
	Run   func(ctx context.Context, t *Turn, a Args) (reply string, err error)
}

// Args are a command's arguments.
type Args struct {
	Raw    string   // everything after the command word, trimmed
	Fields []string // Raw split on spaces
}

// Get returns the i-th argument or "".
func (a Args) Get(i int) string {
	if i < len(a.Fields) {
		return a.Fields[i]
	}
	return ""
}

// Rest returns the raw text after the first i arguments.
func (a Args) Rest(i int) string {
	s := a.Raw
	for ; i > 0; i-- {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			return ""
		}
		s = s[end:]
	}
	return strings.TrimSpace(s)
}

func newArgs(raw string) Args {
	raw = strings.TrimSpace(raw)
	return Args{Raw: raw, Fields: strings.Fields(raw)}
}

// allCommands is the command table. Features add their commands here.
func allCommands() []*Command {
	return []*Command{
		helpCommand, rulesCommand, adminCommand, configCommand,
		banwordCommand, warnCommand, unwarnCommand, warningsCommand, muteCommand, unmuteCommand, kickCommand, approveCommand, unapproveCommand,
		checkinCommand, makeupCommand, pointsCommand, givePointsCommand, topCommand, shopCommand, redeemCommand,
		myOrdersCommand, ordersCommand,
		replyCommand, welcomeCommand, statsCommand, scheduleCommand,
	}
}

type commandTable struct {
	list    []*Command
	byWord  map[string]*Command
	prefixs []string // aliases of Glued commands (兑换咖啡券), longest first
}

func newCommandTable(list []*Command) *commandTable {
	t := &commandTable{list: list, byWord: map[string]*Command{}}
	for _, c := range list {
		t.byWord["/"+c.Name] = c
		for _, a := range c.Aliases {
			t.byWord[strings.ToLower(a)] = c
			if c.Glued && !strings.HasPrefix(a, "/") {
				t.prefixs = append(t.prefixs, a)
			}
		}
	}
	sort.Slice(t.prefixs, func(i, j int) bool { return len(t.prefixs[i]) > len(t.prefixs[j]) })
	return t
}

// match finds the command a text invokes, if any.
func (ct *commandTable) match(text string) (*Command, Args, bool) {
	text = strings.TrimSpace(text)
	word, rest := cutWord(text)
	word = strings.TrimRightFunc(strings.ToLower(word), isTrailingPunct)
	if c, ok := ct.byWord[word]; ok {
		return c, newArgs(rest), true
	}
	for _, p := range ct.prefixs {
		if after, ok := strings.CutPrefix(text, p); ok && after != "" {
			return ct.byWord[strings.ToLower(p)], newArgs(after), true
		}
	}
	return nil, Args{}, false
}

// slashWord is the command word of text shaped like a slash command
// (/warnn bob): a slash and ASCII letters only, so paths, links and /正则/
// stay plain messages.
func slashWord(text string) (string, bool) {
	word, _ := cutWord(strings.TrimSpace(text))
	name, ok := strings.CutPrefix(strings.ToLower(word), "/")
	if !ok || name == "" {
		return "", false
	}
	for _, r := range name {
		if r < 'a' || r > 'z' {
			return "", false
		}
	}
	return name, true
}

// answerable reports whether the message was said to the bot (an @-message
// or the 1:1 chat), not overheard from the message archive: only then is a
// mistyped command answered.
func (t *Turn) answerable() bool {
	return t.Event.Channel.AIBot() || t.Event.ChatID == "" || t.Direct
}

// unknown is the reply to a slash command qunbot does not have: the
// nearest one it has, when there is one close enough.
func (ct *commandTable) unknown(name string) error {
	if name == "in" {
		return Userf(sayInDirectOnly)
	}
	names := make([]string, len(ct.list))
	for i, c := range ct.list {
		names[i] = c.Name
	}
	if near, ok := nearest(name, names); ok {
		return Userf(sayUnknownCommand, near)
	}
	return Userf(sayNoSuchCommand, "/"+name)
}

func isTrailingPunct(r rune) bool { return strings.ContainsRune("!！。.~～?？", r) }

// cutWord splits text at its first space of any kind: Chinese input methods
// type the full-width one (U+3000), and messages may hold tabs or newlines.
func cutWord(text string) (word, rest string) {
	i := strings.IndexFunc(text, unicode.IsSpace)
	if i < 0 {
		return text, ""
	}
	_, size := utf8.DecodeRuneInString(text[i:])
	return text[:i], text[i+size:]
}

// cutCommand reports whether text starts with the word cmd and returns the rest.
func cutCommand(text, cmd string) (string, bool) {
	word, rest := cutWord(strings.TrimSpace(text))
	if !strings.EqualFold(word, cmd) {
		return "", false
	}
	return rest, true
}

// commandGates run before a permitted command; a gate refuses by returning a
// UserError (a muted member's command, for example). Features add gates here.
var commandGates = []func(ctx context.Context, t *Turn, c *Command) error{muteGate}

// runCommands is the first message stage.
func runCommands(ctx context.Context, t *Turn) error {
	c, args, ok := t.e.commands.match(t.Event.Text)
	if !ok {
		if word, slash := slashWord(t.Event.Text); slash && t.answerable() {
			t.Done()
			return t.e.commands.unknown(word)
		}
		switch {
		case t.Direct:
			return Userf(sayInNeedsCommand, t.Event.ChatID, t.Event.ChatID)
		case t.Event.ChatID == "":
			t.Reply(sayDirectHint)
			t.Done()
		}
		return nil
	}
	t.Done()
	if t.Event.ChatID == "" && !c.AnyChat {
		return Userf(sayGroupOnly, c.Usage)
	}
	if err := t.scope(ctx, c); err != nil {
		return err
	}
	if err := t.permit(ctx, c); err != nil {
		return err
	}
	for _, gate := range commandGates {
		if err := gate(ctx, t, c); err != nil {
			return err
		}
	}
	if err := t.recordNamedGroup(ctx); err != nil {
		return err
	}
	t.e.hit("command:" + c.Name)
	reply, err := c.Run(ctx, t, args)
	if err != nil {
		return err
	}
	t.Reply(reply)
	return nil
}

// denied is the reply to a command the caller may not use.
const denied = sayDenied

// permit checks the caller's role; a refusal is logged in the modlog.
func (t *Turn) permit(ctx context.Context, c *Command) error {
	if c.Role == RoleMember {
		return nil
	}
	role, err := t.Role(ctx)
	if err != nil {
		return err
	}
	if role >= c.Role {
		return nil
	}
	return t.deny(ctx, "/"+c.Name)
}

// deny refuses what the caller tried (what names it in the modlog): 无权限,
// and a modlog row when in a group.
func (t *Turn) deny(ctx context.Context, what string) error {
	return t.denyWith(ctx, what, denied)
}

// denyWith is deny with its own reply.
func (t *Turn) denyWith(ctx context.Context, what, reply string) error {
	if t.Event.ChatID != "" {
		err := t.Tx.AddModlog(ctx, ModEntry{
			ChatID: t.Event.ChatID, Action: ModDenied, Actor: t.Event.From,
			Reason: what, Evidence: asEvidence(t.redactedText()), At: t.Now,
		})
		if err != nil {
			return err
		}
	}
	return &UserError{Msg: reply}
}

// redactedText is the message as the modlog keeps it: a /config of a secret
// setting (webhook_key) without its value.
func (t *Turn) redactedText() string {
	c, a, ok := t.e.commands.match(t.Event.Text)
	if ok && c.Name == "config" && secretSettings[a.Get(0)] && a.Rest(1) != "" {
		return "/config " + a.Get(0) + " " + sayHidden
	}
	return t.Event.Text
}

// usage is the UserError for a malformed command.
func usage(c *Command) error { return Userf(sayUsage, c.Usage) }
