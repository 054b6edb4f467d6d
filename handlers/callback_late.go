package handlers

import (
	"context"
	"sync"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// holdBudget bounds how long holding a late message may take: the budget
// and the hold together stay within WeCom's 5 seconds.
const holdBudget = time.Second

// decisionTimeout bounds one decision that runs past its callback's answer.
const decisionTimeout = time.Minute

// decide runs the Decider within the callback's budget. A message that
// carries a response_url gets ReplyBudget: past it, the message is held
// durably and the callback answered empty (late is true); the reply, once
// decided, goes to the response_url instead. A message that cannot be held
// in time is answered 503 (an unavailable error), so WeCom sends it again.
func (s *server) decide(ctx context.Context, ev bot.Event) (actions []bot.Action, err error, late bool) {
	if ev.ResponseURL == "" || s.Late == nil {
		ctx, cancel := context.WithTimeout(ctx, s.CallbackBudget)
		defer cancel()
		actions, err = s.Engine.Handle(ctx, ev)
		return actions, err, false
	}
	done := make(chan bot.Decision, 1)
	// The decision outlives the callback's answer, within decisionTimeout.
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), decisionTimeout)
	s.Background.Add(1)
	s.answered.begin(ev.ID)
	s.runners.run(func() { done <- s.answers.Decide(bg, ev) })
	timer := time.NewTimer(s.ReplyBudget)
	defer timer.Stop()
	select {
	case r := <-done:
		cancel()
		s.answered.end(ev.ID)
		s.Background.Done()
		return r.Actions, r.Err, false
	case <-timer.C:
	}
	holdCtx, stop := context.WithTimeout(ctx, holdBudget)
	holdErr := s.Late.HoldLate(holdCtx, ev)
	stop()
	go func() {
		defer s.Background.Done()
		defer cancel()
		defer s.answered.end(ev.ID)
		r := <-done
		if holdErr == nil {
			s.answerLate(context.WithoutCancel(ctx), ev, r)
		}
	}()
	if holdErr != nil {
		// Not decided, not held: WeCom must send it again. If the decision
		// still commits, the retry gets its stored reply.
		return nil, holdErr, false
	}
	return nil, nil, true
}

// answerLate sends a late decision's reply to the response_url. Its
// callback was answered, so WeCom will not deliver it again: a failed
// decision is decided again (bot.DefaultRetries), and one that fails every
// retry stays held for the engine to finish (rules.Engine.FinishHeld).
func (s *server) answerLate(ctx context.Context, ev bot.Event, r bot.Decision) {
	r = s.answers.Retry(ctx, ev, r)
	if r.Err != nil {
		s.Log.ErrorContext(ctx, "late callback not handled; it stays held", "msg_id", ev.ID, "chat_id", ev.ChatID, "err", r.Err)
		return
	}
	reply := bot.Reply(r.Actions)
	if s.answered.has(ev.ID) {
		// another delivery of the message (WeCom's retry, or the original
		// while this one was deciding) got the reply in time: only release
		reply = ""
	}
	if err := s.Late.AnswerLate(ctx, ev, reply); err != nil {
		s.Log.ErrorContext(ctx, "late answer not queued; it stays held", "msg_id", ev.ID, "chat_id", ev.ChatID, "err", err)
	}
}

// answeredSet remembers for a while the messages this process answered
// with their reply in time while another decision of the same message was
// running here, so that decision, if it ends late, does not send the reply
// a second time. Only those: a message answered while no other decision of
// it runs has no late decision to warn, and remembering every answer would
// hold one entry per message for answeredMemory (at a few thousand messages
// a second, hundreds of thousands).
type answeredSet struct {
	mu       sync.Mutex
	deciding map[string]int // decisions running per message
	at       map[string]time.Time
	last     time.Time // of the latest sweep
}

// answeredMemory is how long an answer is remembered: longer than any
// decision runs late.
const answeredMemory = 2 * decisionTimeout

// begin and end bracket a decision of message id that may end late.
func (a *answeredSet) begin(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.deciding == nil {
		a.deciding = map[string]int{}
	}
	a.deciding[id]++
}

func (a *answeredSet) end(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.deciding[id] <= 1 {
		delete(a.deciding, id)
		return
	}
	a.deciding[id]--
}

// add records that id was answered in time, if another decision of it is
// still running (the answering one has ended).
func (a *answeredSet) add(id string, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.deciding[id] == 0 {
		return
	}
	if a.at == nil {
		a.at = map[string]time.Time{}
	}
	if now.Sub(a.last) > answeredMemory {
		for k, t := range a.at {
			if now.Sub(t) > answeredMemory {
				delete(a.at, k)
			}
		}
		a.last = now
	}
	a.at[id] = now
}

func (a *answeredSet) has(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	_, ok := a.at[id]
	return ok
}
