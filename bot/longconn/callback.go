package longconn

import (
	"context"
	"errors"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// replyWindow is how long WeCom accepts a welcome (enter_chat) or a card
// update (template_card_event) after the event.
const replyWindow = 5 * time.Second

// dispatch hands a callback to its own goroutine: the read loop goes on
// reading acks and pings however long the decision takes.
func (c *Client) dispatch(s *session, f frame) {
	c.mu.Lock()
	base := c.base
	c.mu.Unlock()
	c.inflight.Add(1)
	go func() {
		defer c.inflight.Done()
		c.handle(base, s, f)
	}()
}

// handle turns a callback into a bot.Event, decides it exactly once through
// the shared Answers (a redelivered msgid gets the stored answer) and sends
// the answer on the callback's req_id. WeCom does not deliver a frame again,
// so a message whose first decision fails is held durably before it is
// decided again: if every retry fails, or this process dies, the engine
// finishes it later and posts the answer (rules.Engine.FinishHeld).
func (c *Client) handle(ctx context.Context, s *session, f frame) {
	start := time.Now()
	ev, err := bot.ParseAIBot(f.Body)
	switch {
	case errors.Is(err, bot.ErrUnsupported):
		c.log.Debug("long connection: callback ignored", "err", err)
		c.o.Observe("unsupported", time.Since(start).Seconds())
		return
	case err != nil:
		c.log.Warn("long connection: callback malformed", "err", err)
		c.o.Observe("malformed", time.Since(start).Seconds())
		return
	}
	ev.Channel = bot.ChannelAIBotWS
	ev.ResponseURL = "" // answers go back on the req_id, never to a URL
	if ev.At.IsZero() {
		ev.At = c.o.Now()
	}
	d := c.o.Answers.Decide(ctx, ev)
	held := false
	if c.o.Answers.Retryable(d.Err) {
		held = c.hold(ctx, ev)
		d = c.o.Answers.Retry(ctx, ev, d)
	}
	if d.Err != nil {
		c.log.ErrorContext(ctx, "long connection: callback not handled", "msg_id", ev.ID, "chat_id", ev.ChatID,
			"held", held, "err", d.Err)
		c.o.Observe("error", time.Since(start).Seconds())
		return
	}
	reply := bot.Reply(d.Actions)
	settled := false
	if reply != "" {
		settled = c.answer(ctx, s, f.Headers.ReqID, ev, reply, start)
	}
	if held && !settled {
		c.answerLate(ctx, ev, "") // answered on the req_id (or nothing to say): only release the hold
	}
	outcome := "ok"
	if bot.Redelivery(d.Actions) {
		outcome = "duplicate"
	}
	c.o.Observe(outcome, time.Since(start).Seconds())
}

// hold records ev durably for the engine to finish if it is not answered.
func (c *Client) hold(ctx context.Context, ev bot.Event) bool {
	if c.o.Late == nil {
		return false
	}
	if err := c.o.Late.HoldLate(ctx, ev); err != nil {
		c.log.WarnContext(ctx, "long connection: message not held", "msg_id", ev.ID, "err", err)
		return false
	}
	return true
}

// answer sends reply on the callback's req_id: a finished stream for a
// message, a text welcome for enter_chat, a card update for a click. A
// message whose connection is gone (its req_id with it) is posted with
// aibot_send_msg instead; settled reports that, which also releases a hold.
func (c *Client) answer(ctx context.Context, s *session, reqID string, ev bot.Event, reply string, received time.Time) (settled bool) {
	cmd, body := respondFrame(ev, reply)
	if cmd != cmdRespondMsg {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, received.Add(replyWindow))
		defer cancel()
	}
	if err := c.waitSlot(ctx, chatOf(ev)); err != nil {
		c.log.WarnContext(ctx, "long connection: answer not sent", "cmd", cmd, "msg_id", ev.ID, "err", err)
		return false
	}
	ack, err := s.call(ctx, request{Cmd: cmd, Headers: headers{ReqID: reqID}, Body: body})
	switch {
	case err == nil && ack.ErrCode == 0:
		return false
	case cmd == cmdRespondMsg && (errors.Is(err, errClosed) || ack.ErrCode == codeInvalidReqID):
		c.answerLate(ctx, ev, reply)
		return true
	case err != nil:
		c.log.WarnContext(ctx, "long connection: answer not sent", "cmd", cmd, "msg_id", ev.ID, "err", err)
	default:
		c.log.WarnContext(ctx, "long connection: answer refused", "cmd", cmd, "msg_id", ev.ID,
			"errcode", ack.ErrCode, "errmsg", ack.ErrMsg)
	}
	return false
}

// answerLate posts reply with aibot_send_msg (through the outbox) and
// releases ev if it was held; "" only releases it.
func (c *Client) answerLate(ctx context.Context, ev bot.Event, reply string) {
	if c.o.Late == nil {
		if reply != "" {
			c.log.WarnContext(ctx, "long connection: answer lost with its connection", "msg_id", ev.ID)
		}
		return
	}
	if err := c.o.Late.AnswerLate(ctx, ev, reply); err != nil {
		c.log.ErrorContext(ctx, "long connection: late answer not queued", "msg_id", ev.ID, "chat_id", ev.ChatID, "err", err)
	}
}

// respondFrame is the command and body that answer ev with reply.
func respondFrame(ev bot.Event, reply string) (string, any) {
	switch ev.Kind {
	case bot.KindEnterChat:
		var b textBody
		b.MsgType, b.Text.Content = "text", reply
		return cmdRespondWelcome, b
	case bot.KindCardClick:
		var b updateBody
		b.ResponseType = "update_template_card"
		b.TemplateCard.CardType = "text_notice"
		b.TemplateCard.MainTitle.Title = reply
		b.TemplateCard.TaskID = ev.Card.TaskID
		return cmdRespondUpdate, b
	}
	var b streamBody
	b.MsgType = "stream"
	b.Stream.ID, b.Stream.Finish, b.Stream.Content = bot.StreamID(ev.ID), true, reply
	return cmdRespondMsg, b
}

// chatOf is the chat WeCom's per-chat limit counts an answer against.
func chatOf(ev bot.Event) string {
	if ev.ChatID != "" {
		return ev.ChatID
	}
	return ev.From
}

// waitSlot waits until the chat's shared limit has room. Without the
// limiter (Redis down) the answer goes anyway: WeCom would refuse it at
// worst, and a member waiting for nothing is worse.
func (c *Client) waitSlot(ctx context.Context, chat string) error {
	if c.o.Limit == nil {
		return nil
	}
	for {
		wait, err := c.o.Limit.TakeChat(ctx, chat)
		if err != nil || wait <= 0 {
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
