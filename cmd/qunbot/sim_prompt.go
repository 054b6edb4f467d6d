package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/wecomtest"
	"github.com/qunbot/qunbot/rules"
)

// simCommand is one of the prompt's own commands; any other line is said to
// the bot. `?` lists them all from this table, and the README names each.
type simCommand struct {
	name, usage, help string
	run               func(s *simulation, ctx context.Context, rest string) error // nil: handled by do or the loop
}

var simCommands = []simCommand{
	{"as", "as <user>", "speak as this member (alice is an admin and owns every group)", (*simulation).cmdAs},
	{"in", "in <group>", "switch to another group: G1, G2 or G3", (*simulation).cmdIn},
	{"archive", "archive <text>", "say it in the group WITHOUT @-mentioning the bot: only the message archive (会话存档) brings it to qunbot, after msgaudit_notify", (*simulation).cmdArchive},
	{"dm", "dm <text>", "a 1:1 message to the app (admins: dm /in G1 /config)", (*simulation).cmdDM},
	{"join", "join <user>…", "members join the group, invited by the current user", (*simulation).cmdJoin},
	{"leave", "leave <user>…", "members leave the group", (*simulation).cmdLeave},
	{"click", "click <key> [task]", "press a card button (the last card's task by default)", (*simulation).cmdClick},
	{"time", "time +1d | +2h", "move the clock forward; every scheduled post, report, alert and 积分王 due on the way happens, in order", (*simulation).cmdTime},
	{"?", "?", "this list", nil},
	{"quit", "quit | exit", "leave the sim (so does end of input)", nil},
}

// simHelp is what `?` prints: the commands, then the flags sim started with.
func (s *simulation) simHelp() string {
	var b strings.Builder
	fmt.Fprintf(&b, "  %-20s %s\n", "<text>", "say it in the group, @-mentioning the bot (签到, 帮助, /warn bob 刷屏 …)")
	for _, c := range simCommands {
		fmt.Fprintf(&b, "  %-20s %s\n", c.usage, c.help)
	}
	b.WriteString(s.flagsHelp)
	return b.String()
}

// do runs one prompt line.
func (s *simulation) do(ctx context.Context, line string) error {
	word, rest, _ := strings.Cut(line, " ")
	if word == "?" {
		fmt.Fprint(s.out, s.simHelp())
		return nil
	}
	for _, c := range simCommands {
		if c.name == word && c.run != nil {
			return c.run(s, ctx, strings.TrimSpace(rest))
		}
	}
	if err := s.present(s.user, s.chat); err != nil {
		return err
	}
	if s.ws != nil {
		return s.sayOverLongConn(ctx, line)
	}
	r, err := s.send.AIBotText(ctx, s.nextID(), s.chat, s.user, line)
	return s.print(r, err)
}

func (s *simulation) cmdAs(_ context.Context, user string) error {
	if user == "" {
		return fmt.Errorf("as <user>")
	}
	s.user = user
	return nil
}

func (s *simulation) cmdIn(_ context.Context, chat string) error {
	if chat == "" {
		return fmt.Errorf("in <group>")
	}
	if _, ok := s.api.Group(chat); !ok {
		return fmt.Errorf("there is no group %s in this company", chat)
	}
	s.chat = chat
	return nil
}

func (s *simulation) cmdTime(ctx context.Context, rest string) error {
	d, err := rules.ParseDuration(strings.TrimPrefix(rest, "+"))
	if err != nil {
		return err
	}
	return s.passTime(ctx, d)
}

func (s *simulation) cmdDM(ctx context.Context, text string) error {
	r, err := s.send.AppText(ctx, s.nextID(), s.user, text)
	return s.print(r, err)
}

func (s *simulation) cmdJoin(ctx context.Context, rest string) error {
	return s.memberChange(ctx, "join", strings.Fields(rest))
}

func (s *simulation) cmdLeave(ctx context.Context, rest string) error {
	return s.memberChange(ctx, "leave", strings.Fields(rest))
}

func (s *simulation) cmdClick(ctx context.Context, rest string) error {
	return s.click(ctx, strings.Fields(rest))
}

func (s *simulation) nextID() string {
	s.seq++
	return fmt.Sprintf("sim%d-%d", time.Now().UnixNano(), s.seq)
}

func (s *simulation) print(r wecomtest.Reply, err error) error {
	if err != nil {
		return err
	}
	if r.Status != 200 {
		return fmt.Errorf("callback answered %d: %s", r.Status, r.Body)
	}
	if r.Text != "" {
		fmt.Fprintf(s.out, "  🤖 %s\n", strings.ReplaceAll(r.Text, "\n", "\n     "))
	}
	return nil
}

func (s *simulation) memberChange(ctx context.Context, word string, users []string) error {
	if len(users) == 0 {
		return fmt.Errorf("%s <user>…", word)
	}
	join := word == "join"
	if err := s.canChange(join, users); err != nil {
		return err
	}
	detail := "add_member"
	if !join {
		detail = "del_member"
	}
	s.updateFakeGroup(join, users)
	r, err := s.send.AppMemberChange(ctx, wecomtest.MemberChange{
		ChatID: s.chat, Detail: detail, UserIDs: users, At: s.clock.now(),
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "  · %s %s %s\n", strings.Join(users, ", "), map[bool]string{true: "joined", false: "left"}[join], s.chat)
	if join {
		s.sayStrangers(users)
		// joins are welcomed together a few seconds later; let that time pass
		s.clock.advance(simJoinWait)
	}
	return s.print(r, nil)
}

// simJoinWait is a little longer than the engine waits to welcome a burst of
// joins in one message.
const simJoinWait = 6 * time.Second

// updateFakeGroup changes the fake WeCom's member list the way WeCom would
// before it sends the member event, so read-backs of the group agree.
func (s *simulation) updateFakeGroup(join bool, users []string) {
	g, ok := s.api.Group(s.chat)
	if !ok {
		g = bot.GroupInfo{ChatID: s.chat, Owner: "alice"}
	}
	keep := g.Members[:0]
	for _, m := range g.Members {
		if !slices.Contains(users, m.UserID) {
			keep = append(keep, m)
		}
	}
	g.Members = keep
	if join {
		for _, u := range users {
			g.Members = append(g.Members, bot.GroupMember{UserID: u, Name: simName(u), Type: 1, JoinTime: s.clock.now(), Invitor: s.user})
		}
	}
	s.api.SetGroup(g)
}

// simName is a member's name in the simulated company ("" for a stranger).
func simName(userID string) string {
	for _, p := range simPeople {
		if p.id == userID {
			return p.name
		}
	}
	return ""
}

func (s *simulation) click(ctx context.Context, args []string) error {
	if len(args) == 0 || !strings.Contains(args[0], ":") {
		return fmt.Errorf("click <key> [task]: the key the card shows after \"click\", e.g. click remove:1")
	}
	s.mu.Lock()
	task := s.lastTask
	s.mu.Unlock()
	if len(args) > 1 {
		task = args[1]
	}
	before := s.beforeClick(ctx, args[0])
	r, err := s.send.AppCardClick(ctx, s.user, args[0], task, s.clock.now())
	if err := s.print(r, err); err != nil {
		return err
	}
	s.explainClick(ctx, args[0], before)
	return nil
}

// show prints an outbound WeCom call the way a member or admin would see it.
func (s *simulation) show(c wecomtest.Call) {
	var body map[string]any
	_ = json.Unmarshal(c.Body, &body)
	str := func(path ...string) string { return jsonPath(body, path...) }
	switch {
	case strings.HasSuffix(c.Path, "/appchat/send"):
		fmt.Fprintf(s.out, "  [%s 群内 · appchat/send] 🤖 %s\n", str("chatid"), str("text", "content"))
	case strings.HasSuffix(c.Path, "/webhook/send"):
		fmt.Fprintf(s.out, "  [群内 · webhook/send] 🤖 %s%s\n", str("text", "content"), mentionsOf(body))
	case strings.HasSuffix(c.Path, "/message/send") && str("msgtype") == "template_card":
		s.showCard(body)
	case strings.HasSuffix(c.Path, "/message/send"):
		fmt.Fprintf(s.out, "  [应用消息 → %s] %s\n", str("touser"), str("text", "content"))
	case strings.HasSuffix(c.Path, "/appchat/update"):
		fmt.Fprintf(s.out, "  [%s · appchat/update] 🚫 移出 %v\n", str("chatid"), body["del_user_list"])
	case strings.Contains(c.Path, "/group_welcome_template/"):
		fmt.Fprintf(s.out, "  [入群欢迎语模板 · %s] %s\n", c.Path[strings.LastIndex(c.Path, "/")+1:], str("text", "content"))
	case strings.Contains(c.Path, "/aibot/response"):
		fmt.Fprintf(s.out, "  [response_url] 🤖 %s\n", str("markdown", "content"))
	}
}

func (s *simulation) showCard(body map[string]any) {
	card, _ := body["template_card"].(map[string]any)
	title := jsonPath(card, "main_title", "title")
	desc := jsonPath(card, "main_title", "desc")
	task := jsonPath(card, "task_id")
	s.mu.Lock()
	s.lastTask = task
	s.mu.Unlock()
	var buttons []string
	if list, ok := card["button_list"].([]any); ok {
		for _, b := range list {
			bm, _ := b.(map[string]any)
			buttons = append(buttons, fmt.Sprintf("[%v → click %v]", bm["text"], bm["key"]))
		}
	}
	fmt.Fprintf(s.out, "  [应用卡片 → %s] %s｜%s %s\n", jsonPath(body, "touser"), title, desc, strings.Join(buttons, " "))
}

func mentionsOf(body map[string]any) string {
	text, _ := body["text"].(map[string]any)
	if list, ok := text["mentioned_list"].([]any); ok && len(list) > 0 {
		return fmt.Sprintf("  (@%v)", list)
	}
	return ""
}

// jsonPath reads a nested string field of decoded JSON, "" when absent.
func jsonPath(v map[string]any, path ...string) string {
	var cur any = v
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[p]
	}
	if cur == nil {
		return ""
	}
	return fmt.Sprint(cur)
}
