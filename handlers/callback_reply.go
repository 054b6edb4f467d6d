package handlers

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"strconv"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/rules"
)

// dispatch answers a verified event. A redelivery is served from the reply
// cache without deciding again; otherwise the Decider decides (exactly once,
// so a retry after a 500 is safe) and its reply is cached and sent.
func (s *server) dispatch(ctx context.Context, ch *channel, ev bot.Event) answer {
	if reply, ok := s.answers.Cached(ctx, ev); ok {
		return s.passive(ch, ev, reply, outcomeDuplicate)
	}
	actions, err, late := s.decide(ctx, ev)
	if late {
		return answer{status: http.StatusOK, outcome: outcomeLate}
	}
	switch {
	case errors.Is(err, rules.ErrDuplicate):
		return answer{status: http.StatusOK, outcome: outcomeDuplicate}
	case errors.Is(err, rules.ErrNoSender):
		return answer{status: http.StatusOK, outcome: outcomeNoSender}
	case errors.Is(err, rules.ErrFieldTooLong):
		s.Log.WarnContext(ctx, "callback refused", "endpoint", ch.name, "err", err)
		return reject(http.StatusBadRequest, outcomeTooLong)
	}
	if err != nil {
		s.Log.ErrorContext(ctx, "callback not handled", "endpoint", ch.name, "msg_id", ev.ID,
			"chat_id", ev.ChatID, "err", err)
		return reject(http.StatusInternalServerError, outcomeError)
	}
	reply := bot.Reply(actions)
	s.answers.Remember(ctx, ev, reply)
	return s.passive(ch, ev, reply, outcomeOK)
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
