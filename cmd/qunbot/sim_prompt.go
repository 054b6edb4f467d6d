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

const simHelp = `  as <user>            speak as this member (alice is an admin and owns every group)
  in <group>           switch to G1, G2 or G3
  <text>               say it in the group, @-mentioning the bot (签到, 帮助, /warn bob 刷屏 …)
  dm <text>            a 1:1 message to the app (admins: dm /in G1 /config)
  join <user>…         members join the group (scene: invited by the current user)
  leave <user>…        members leave the group
  click <key> [task]   press a card button (the last card's task by default)
  time +1d | +2h       move the clock forward (day boundaries, streaks, expiries)
  quit
`

// do runs one prompt line.
func (s *simulation) do(ctx context.Context, line string) error {
	word, rest, _ := strings.Cut(line, " ")
	rest = strings.TrimSpace(rest)
	switch word {
	case "?":
		fmt.Fprint(s.out, simHelp)
		return nil
	case "as":
		if rest == "" {
			return fmt.Errorf("as <user>")
		}
		s.user = rest
		return nil
	case "in":
		if rest == "" {
			return fmt.Errorf("in <group>")
		}
		s.chat = rest
		return nil
	case "time":
		d, err := rules.ParseDuration(strings.TrimPrefix(rest, "+"))
		if err != nil {
			return err
		}
		s.clock.advance(d)
		fmt.Fprintf(s.out, "  🕒 %s\n", s.clock.now().In(s.app.engine.Location()).Format("2006-01-02 15:04 Mon"))
		return nil
	case "dm":
		r, err := s.send.AppText(ctx, s.nextID(), s.user, rest)
		return s.print(r, err)
	case "join", "leave":
		return s.memberChange(ctx, word, strings.Fields(rest))
	case "click":
		return s.click(ctx, strings.Fields(rest))
	}
	if s.ws != nil {
		return s.sayOverLongConn(ctx, line)
	}
	r, err := s.send.AIBotText(ctx, s.nextID(), s.chat, s.user, line)
	return s.print(r, err)
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
	detail := "add_member"
	if word == "leave" {
		detail = "del_member"
	}
	s.updateFakeGroup(word == "join", users)
	r, err := s.send.AppMemberChange(ctx, wecomtest.MemberChange{
		ChatID: s.chat, Detail: detail, UserIDs: users, At: s.clock.now(),
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "  · %s %s %s\n", strings.Join(users, ", "), map[string]string{"join": "joined", "leave": "left"}[word], s.chat)
	if word == "join" {
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
	r, err := s.send.AppCardClick(ctx, s.user, args[0], task, s.clock.now())
	return s.print(r, err)
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
