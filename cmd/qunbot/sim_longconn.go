package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qunbot/qunbot/bot/wecomtest"
)

// simHandledWait bounds how long the prompt waits for the bot to handle a
// message it sent over the long connection.
const simHandledWait = 10 * time.Second

// sayOverLongConn pushes the line as an @-message over the fake long
// connection and waits until the bot has handled it (its answer, if any, is
// printed by showFrame as it arrives).
func (s *simulation) sayOverLongConn(ctx context.Context, text string) error {
	drain(s.handled)
	if _, err := s.ws.Message(ctx, wecomtest.WSMessage{MsgID: s.nextID(), ChatID: s.chat, From: s.user, Text: text}); err != nil {
		return err
	}
	select {
	case <-s.handled:
		return nil
	case <-time.After(simHandledWait):
		return errors.New("the bot did not handle the message over the long connection")
	case <-ctx.Done():
		return ctx.Err()
	}
}

// noteHandled hears of every callback the bot answered over the long
// connection; it never blocks the bot.
func (s *simulation) noteHandled(string) {
	select {
	case s.handled <- struct{}{}:
	default:
	}
}

func drain(ch chan struct{}) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// showFrame prints what the bot sent over the long connection the way a
// member would see it: answers in the conversation, aibot_send_msg posts in
// the group.
func (s *simulation) showFrame(f wecomtest.Frame) {
	switch f.Cmd {
	case "aibot_respond_msg", "aibot_respond_welcome_msg", "aibot_respond_update_msg":
		fmt.Fprintf(s.out, "  🤖 %s\n", strings.ReplaceAll(f.Content(), "\n", "\n     "))
	case "aibot_send_msg":
		where := f.Str("chatid") + " 群内"
		if f.Body["chat_type"] == float64(1) {
			where = "→ " + f.Str("chatid")
		}
		fmt.Fprintf(s.out, "  [%s · aibot_send_msg] 🤖 %s\n", where, strings.ReplaceAll(f.Content(), "\n", "\n     "))
	}
}
