package handlers

import (
	"context"
	"fmt"
	"runtime/debug"
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
	done := make(chan decision, 1)
	bg := context.WithoutCancel(ctx) // the decision outlives the callback's answer
	s.Background.Add(1)
	go func() { done <- s.handleRecovered(bg, ev) }()
	timer := time.NewTimer(s.ReplyBudget)
	defer timer.Stop()
	select {
	case r := <-done:
		s.Background.Done()
		return r.actions, r.err, false
	case <-timer.C:
		go func() {
			defer s.Background.Done()
			s.answerLate(bg, ev, done)
		}()
		return nil, nil, true
	}
}

// decision is what the Decider returned.
type decision struct {
	actions []bot.Action
	err     error
}

// handleRecovered runs the Decider off the request's goroutine, where gin's
// recovery cannot reach: a panic becomes an error (and a log line with the
// stack) instead of ending the process.
func (s *server) handleRecovered(ctx context.Context, ev bot.Event) (r decision) {
	defer func() {
		if v := recover(); v != nil {
			s.Log.ErrorContext(ctx, "decider panic", "msg_id", ev.ID, "chat_id", ev.ChatID,
				"err", fmt.Sprint(v), "stack", string(debug.Stack()))
			r = decision{err: fmt.Errorf("handlers: decider panic: %v", v)}
		}
	}()
	r.actions, r.err = s.Engine.Handle(ctx, ev)
	return r
}

// lateRetries are the waits before deciding a late message again after a
// failed decision (a deadlock, a database blip). Its callback was answered,
// so WeCom will not deliver it again; the Decider is exactly-once, so deciding
// again is safe. The last try ends well within the response_url's hour.
var lateRetries = [...]time.Duration{100 * time.Millisecond, time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute}

func (s *server) answerLate(ctx context.Context, ev bot.Event, done <-chan decision) {
	r := <-done
	for _, wait := range lateRetries {
		if r.err == nil {
			break
		}
		s.Log.WarnContext(ctx, "late callback not handled; deciding again", "msg_id", ev.ID, "chat_id", ev.ChatID,
			"retry_in", wait.String(), "err", r.err)
		time.Sleep(wait)
		r = s.handleRecovered(ctx, ev)
	}
	if r.err != nil {
		s.Log.ErrorContext(ctx, "late callback not handled", "msg_id", ev.ID, "chat_id", ev.ChatID, "err", r.err)
		return
	}
	if _, answered := s.cached(ctx, ev); answered {
		// another delivery of this message (WeCom's retry, or the original
		// while this retry was deciding) was answered in time: the member has
		// the reply already
		return
	}
	reply := bot.Reply(r.actions)
	s.remember(ctx, ev, reply)
	if reply == "" {
		return
	}
	if err := s.Late.AnswerLate(ctx, ev, reply); err != nil {
		s.Log.ErrorContext(ctx, "late answer not queued", "msg_id", ev.ID, "chat_id", ev.ChatID, "err", err)
	}
}
