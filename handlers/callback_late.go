package handlers

import (
	"context"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// decide runs the Decider. A message that carries a response_url gets
// ReplyBudget: past it, the callback is answered empty (late is true) and the
// reply, once decided, goes to the response_url instead.
func (s *server) decide(ctx context.Context, ev bot.Event) (actions []bot.Action, err error, late bool) {
	if ev.ResponseURL == "" || s.Late == nil {
		actions, err = s.Engine.Handle(ctx, ev)
		return actions, err, false
	}
	done := make(chan bot.Decision, 1)
	bg := context.WithoutCancel(ctx) // the decision outlives the callback's answer
	s.Background.Add(1)
	go func() { done <- s.answers.Decide(bg, ev) }()
	timer := time.NewTimer(s.ReplyBudget)
	defer timer.Stop()
	select {
	case r := <-done:
		s.Background.Done()
		return r.Actions, r.Err, false
	case <-timer.C:
		go func() {
			defer s.Background.Done()
			s.answerLate(bg, ev, done)
		}()
		return nil, nil, true
	}
}

// answerLate waits for a late decision and sends its reply to the
// response_url. Its callback was answered, so WeCom will not deliver it
// again: a failed decision is decided again (bot.DefaultRetries).
func (s *server) answerLate(ctx context.Context, ev bot.Event, done <-chan bot.Decision) {
	r := s.answers.Retry(ctx, ev, <-done)
	if r.Err != nil {
		s.Log.ErrorContext(ctx, "late callback not handled", "msg_id", ev.ID, "chat_id", ev.ChatID, "err", r.Err)
		return
	}
	if _, answered := s.answers.Cached(ctx, ev); answered {
		// another delivery of this message (WeCom's retry, or the original
		// while this retry was deciding) was answered in time: the member has
		// the reply already
		return
	}
	reply := bot.Reply(r.Actions)
	s.answers.Remember(ctx, ev, reply)
	if reply == "" {
		return
	}
	if err := s.Late.AnswerLate(ctx, ev, reply); err != nil {
		s.Log.ErrorContext(ctx, "late answer not queued", "msg_id", ev.ID, "chat_id", ev.ChatID, "err", err)
	}
}
