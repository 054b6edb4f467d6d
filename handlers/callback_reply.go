package handlers

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/rules"
)

// dispatch answers a verified event. The Decider decides exactly once and
// keeps each reply for the event's redeliveries, so a retry after a 503 or
// a 500 is safe and gets the same answer. A store that does not answer in
// time is a 503: WeCom delivers the callback again.
func (s *server) dispatch(ctx context.Context, ch *channel, ev bot.Event) answer {
	actions, err, late := s.decide(ctx, ev)
	switch {
	case late:
		return answer{status: http.StatusOK, outcome: outcomeLate}
	case errors.Is(err, rules.ErrNoSender):
		return answer{status: http.StatusOK, outcome: outcomeNoSender}
	case errors.Is(err, rules.ErrFieldTooLong):
		s.Log.WarnContext(ctx, "callback refused", "endpoint", ch.name, "err", err)
		return reject(http.StatusBadRequest, outcomeTooLong)
	case unavailable(err):
		s.Log.WarnContext(ctx, "callback not handled: store unavailable", "endpoint", ch.name, "msg_id", ev.ID,
			"chat_id", ev.ChatID, "err", err)
		return reject(http.StatusServiceUnavailable, outcomeUnavailable)
	case err != nil:
		s.Log.ErrorContext(ctx, "callback not handled", "endpoint", ch.name, "msg_id", ev.ID,
			"chat_id", ev.ChatID, "err", err)
		return reject(http.StatusInternalServerError, outcomeError)
	}
	outcome := outcomeOK
	if bot.Redelivery(actions) {
		outcome = outcomeDuplicate
	}
	if ev.ResponseURL != "" {
		s.answered.add(ev.ID, time.Now())
	}
	return s.passive(ch, ev, bot.Reply(actions), outcome)
}

// unavailable reports an error that says a store did not answer in time.
func unavailable(err error) bool {
	return errors.Is(err, rules.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded)
}

// passive encrypts reply as the callback's answer; "" is an empty 200.
func (s *server) passive(ch *channel, ev bot.Event, reply, outcome string) answer {
	if reply == "" {
		return answer{status: http.StatusOK, outcome: outcome}
	}
	timestamp := strconv.FormatInt(s.Now().Unix(), 10)
	body, err := ch.reply(ev, reply, timestamp, nonce())
	if err != nil {
		s.Log.Error("reply not encrypted", "endpoint", ch.name, "msg_id", ev.ID, "err", err)
		return reject(http.StatusInternalServerError, outcomeError)
	}
	return answer{status: http.StatusOK, outcome: outcome, body: body, contentType: ch.contentType}
}

// nonce returns ten random decimal digits, as WeCom's own nonces look.
func nonce() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}
