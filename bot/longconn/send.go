package longconn

import (
	"context"
	"errors"
	"fmt"

	"github.com/qunbot/qunbot/bot"
)

// ErrNotConnected is a send while this replica has no subscribed connection;
// retrying later can help.
var ErrNotConnected = errors.New("longconn: not connected")

// Send delivers an outbox bot.ActAIBotSend with aibot_send_msg: markdown
// into group a.ChatID (chat_type 2), or to user a.To[0] (chat_type 1) when
// ChatID is empty. A non-zero errcode is a *bot.APIError.
func (c *Client) Send(ctx context.Context, a bot.Action) error {
	if a.Kind != bot.ActAIBotSend {
		return fmt.Errorf("longconn: send: action kind %q is not %q", a.Kind, bot.ActAIBotSend)
	}
	var b sendBody
	b.ChatID, b.ChatType = a.ChatID, 2
	if a.ChatID == "" && len(a.To) > 0 {
		b.ChatID, b.ChatType = a.To[0], 1
	}
	if b.ChatID == "" {
		return fmt.Errorf("longconn: send: no chat")
	}
	b.MsgType, b.Markdown.Content = "markdown", a.Text
	s := c.current()
	if s == nil {
		return ErrNotConnected
	}
	ack, err := s.request(ctx, cmdSendMsg, b)
	if errors.Is(err, errClosed) {
		return ErrNotConnected
	}
	if err != nil {
		return fmt.Errorf("longconn: %s: %w", cmdSendMsg, err)
	}
	if ack.ErrCode != 0 {
		return &bot.APIError{API: cmdSendMsg, Code: ack.ErrCode, Msg: ack.ErrMsg}
	}
	return nil
}

// refusedCodes are the answers to aibot_send_msg that mean the bot may not
// post into that chat: 93001 (the bot is not in the group), 93006 (invalid
// chatid, also seen for a chat nobody has spoken to the bot in), and the
// address-book permission errors 48002 (API forbidden) and 60011 (no
// privilege). The post goes by the other channels instead.
var refusedCodes = map[int]bool{93001: true, 93006: true, 48002: true, 60011: true}

// Refused reports whether err means WeCom will not let the bot post into
// the chat (as opposed to a failure a retry can fix).
func Refused(err error) (code int, refused bool) {
	var ae *bot.APIError
	if errors.As(err, &ae) && refusedCodes[ae.Code] {
		return ae.Code, true
	}
	return 0, false
}
