package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/rules"
)

// slowDecider answers after a delay.
type slowDecider struct {
	delay time.Duration
	reply string
}

func (d *slowDecider) Handle(context.Context, bot.Event) ([]bot.Action, error) {
	time.Sleep(d.delay)
	return []bot.Action{{Kind: bot.ActReply, Text: d.reply}}, nil
}

// lateLog records held messages and late answers.
type lateLog struct {
	mu      sync.Mutex
	held    []string
	holdErr error
	got     []string
	urls    []string
	done    chan struct{}
}

func (l *lateLog) HoldLate(_ context.Context, ev bot.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.holdErr != nil {
		return l.holdErr
	}
	l.held = append(l.held, ev.ID)
	return nil
}

func (l *lateLog) AnswerLate(_ context.Context, ev bot.Event, reply string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, reply)
	l.urls = append(l.urls, ev.ResponseURL)
	close(l.done)
	return nil
}

func TestSlowReplyGoesToResponseURL(t *testing.T) {
	late := &lateLog{done: make(chan struct{})}
	f := newFixture(t, func(d *Deps) {
		d.Engine = &slowDecider{delay: 300 * time.Millisecond, reply: "+5 连续1天"}
		d.Late, d.ReplyBudget = late, 20*time.Millisecond
	})
	res := f.post(t, aibotDelivery(t, f.aibot, aibotText, now))
	if res.status != http.StatusOK || res.body != "" {
		t.Fatalf("slow callback = %d %q, want an empty 200", res.status, res.body)
	}
	select {
	case <-late.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the late reply never reached the response_url")
	}
	late.mu.Lock()
	defer late.mu.Unlock()
	if len(late.got) != 1 || late.got[0] != "+5 连续1天" || late.urls[0] != "https://example.invalid/r" {
		t.Errorf("late answers = %q to %q", late.got, late.urls)
	}
	if len(late.held) != 1 || late.held[0] != "m1" {
		t.Errorf("held = %q, want m1 held before its empty answer", late.held)
	}
}

// A message whose reply is late and that cannot be held durably (the
// database is down) is not acknowledged: 503, and WeCom sends it again.
func TestLateMessageThatCannotBeHeldIs503(t *testing.T) {
	late := &lateLog{done: make(chan struct{}), holdErr: fmt.Errorf("store: hold: %w", rules.ErrUnavailable)}
	f := newFixture(t, func(d *Deps) {
		d.Engine = &slowDecider{delay: 300 * time.Millisecond, reply: "+5 连续1天"}
		d.Late, d.ReplyBudget = late, 20*time.Millisecond
	})
	if res := f.post(t, aibotDelivery(t, f.aibot, aibotText, now)); res.status != http.StatusServiceUnavailable {
		t.Errorf("late message not held = %d, want 503", res.status)
	}
	select {
	case <-late.done:
		t.Error("a message answered 503 was also answered through its response_url")
	case <-time.After(500 * time.Millisecond):
	}
}

// hungDecider waits for its deadline, like a decision on a hung database.
type hungDecider struct{}

func (hungDecider) Handle(ctx context.Context, _ bot.Event) ([]bot.Action, error) {
	<-ctx.Done()
	return nil, fmt.Errorf("store: claim: %w", ctx.Err())
}

// A callback whose decision does not finish within the budget is answered
// 503 by then, never a late 200 and never a 500.
func TestHungStoreIs503WithinBudget(t *testing.T) {
	f := newFixture(t, func(d *Deps) { d.Engine, d.CallbackBudget = hungDecider{}, 50*time.Millisecond })
	start := time.Now()
	res := f.post(t, appDelivery(t, f.app, appText, now))
	if res.status != http.StatusServiceUnavailable {
		t.Errorf("hung decision = %d, want 503", res.status)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("answered after %v, want within the budget", took)
	}
}

func TestFastReplyStaysPassive(t *testing.T) {
	late := &lateLog{done: make(chan struct{})}
	f := newFixture(t, func(d *Deps) {
		d.Engine = &slowDecider{reply: "ok"}
		d.Late, d.ReplyBudget = late, 2*time.Second
	})
	res := f.post(t, aibotDelivery(t, f.aibot, aibotText, now))
	if res.status != http.StatusOK || res.body == "" {
		t.Fatalf("fast callback = %d %q, want an encrypted reply", res.status, res.body)
	}
	if len(late.got) != 0 {
		t.Errorf("late answers = %q, want none", late.got)
	}
}

func TestPanicWithResponseURLIs500AndServerGoesOn(t *testing.T) {
	late := &lateLog{done: make(chan struct{})}
	f := newFixture(t, func(d *Deps) { d.Late, d.ReplyBudget = late, 2*time.Second })
	f.decider.panics = true
	if res := f.post(t, aibotDelivery(t, f.aibot, aibotText, now)); res.status != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", res.status)
	}
	if !strings.Contains(f.logs.String(), "decider exploded") {
		t.Errorf("the panic was not logged: %s", f.logs.String())
	}
	f.decider.mu.Lock()
	f.decider.panics, f.decider.actions = false, replyActions("back")
	f.decider.mu.Unlock()
	other := strings.Replace(aibotText, `"m1"`, `"m2"`, 1)
	res := f.post(t, aibotDelivery(t, f.aibot, other, now))
	if _, _, content := openAIBotReply(t, f.aibot, res.body); res.status != http.StatusOK || content != "back" {
		t.Errorf("after the panic: %d %q, want 200 %q", res.status, content, "back")
	}
}

// flakyDecider is slow, and fails its first failures calls.
type flakyDecider struct {
	mu       sync.Mutex
	calls    int
	failures int
}

func (d *flakyDecider) Handle(context.Context, bot.Event) ([]bot.Action, error) {
	time.Sleep(50 * time.Millisecond)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls++
	if d.calls <= d.failures {
		return nil, errors.New("store: deadlock found when trying to get lock")
	}
	return []bot.Action{{Kind: bot.ActReply, Text: "+5 连续1天"}}, nil
}

// A late message was acknowledged with an empty 200, so WeCom will not
// deliver it again: a failed decision is tried again rather than lost.
func TestLateDecisionThatFailsIsDecidedAgain(t *testing.T) {
	late := &lateLog{done: make(chan struct{})}
	d := &flakyDecider{failures: 1}
	f := newFixture(t, func(deps *Deps) { deps.Engine, deps.Late, deps.ReplyBudget = d, late, 10*time.Millisecond })
	if res := f.post(t, aibotDelivery(t, f.aibot, aibotText, now)); res.status != http.StatusOK || res.body != "" {
		t.Fatalf("slow callback = %d %q, want an empty 200", res.status, res.body)
	}
	select {
	case <-late.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the failed late decision was never tried again")
	}
	late.mu.Lock()
	defer late.mu.Unlock()
	if len(late.got) != 1 || late.got[0] != "+5 连续1天" {
		t.Errorf("late answers = %q, want the decided reply once", late.got)
	}
}

// A late decision runs after its callback was answered; Deps.Background
// lets the process wait for it before closing the stores at shutdown, so a
// message acknowledged with an empty 200 is not lost in a restart.
func TestShutdownWaitsForLateDecisions(t *testing.T) {
	late := &lateLog{done: make(chan struct{})}
	var bg sync.WaitGroup
	f := newFixture(t, func(d *Deps) {
		d.Engine = &slowDecider{delay: 200 * time.Millisecond, reply: "+5 连续1天"}
		d.Late, d.ReplyBudget, d.Background = late, 10*time.Millisecond, &bg
	})
	if res := f.post(t, aibotDelivery(t, f.aibot, aibotText, now)); res.status != http.StatusOK || res.body != "" {
		t.Fatalf("slow callback = %d %q, want an empty 200", res.status, res.body)
	}
	bg.Wait()
	late.mu.Lock()
	defer late.mu.Unlock()
	if len(late.got) != 1 {
		t.Errorf("after Background.Wait: %d late answers, want the one decided", len(late.got))
	}
}

// A late decision of a redelivery whose message was answered in the meantime
// (the original, passively) sends nothing to the response_url, and releases
// the held message.
func TestLateRedeliveryOfAnAnsweredMessageSendsNothing(t *testing.T) {
	late := &lateLog{done: make(chan struct{})}
	d := &firstSlowDecider{delay: 300 * time.Millisecond, reply: "+5 连续1天"}
	f := newFixture(t, func(deps *Deps) { deps.Engine, deps.Late, deps.ReplyBudget = d, late, 20*time.Millisecond })
	if res := f.post(t, aibotDelivery(t, f.aibot, aibotText, now)); res.status != http.StatusOK || res.body != "" {
		t.Fatalf("the late delivery = %d %q, want an empty 200", res.status, res.body)
	}
	// another delivery of the message is answered in time
	if res := f.post(t, aibotDelivery(t, f.aibot, aibotText, now)); res.status != http.StatusOK || res.body == "" {
		t.Fatalf("the delivery in time = %d %q, want its reply", res.status, res.body)
	}
	select {
	case <-late.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the late decision never settled")
	}
	late.mu.Lock()
	defer late.mu.Unlock()
	if len(late.got) != 1 || late.got[0] != "" {
		t.Errorf("late answers = %q, want one empty (release only)", late.got)
	}
}

// firstSlowDecider is slow on its first call only.
type firstSlowDecider struct {
	mu    sync.Mutex
	calls int
	delay time.Duration
	reply string
}

func (d *firstSlowDecider) Handle(context.Context, bot.Event) ([]bot.Action, error) {
	d.mu.Lock()
	d.calls++
	first := d.calls == 1
	d.mu.Unlock()
	if first {
		time.Sleep(d.delay)
	}
	return []bot.Action{{Kind: bot.ActReply, Text: d.reply}}, nil
}

// The answers remembered are only those a running decision of the same
// message needs: a message answered while no other decision of it runs is
// not kept, so the set stays as small as the decisions in flight, whatever
// the stream.
func TestAnsweredSetKeepsOnlyAnswersARunningDecisionNeeds(t *testing.T) {
	var a answeredSet
	for i := range 1000 {
		id := "m" + strconv.Itoa(i)
		a.begin(id)
		a.end(id) // decided in time
		a.add(id, now)
	}
	if len(a.at) != 0 || len(a.deciding) != 0 {
		t.Fatalf("after 1,000 answers with nothing else deciding: %d remembered, %d deciding; want none",
			len(a.at), len(a.deciding))
	}
	a.begin("late") // the delivery that will end late
	a.begin("late") // another delivery of it, answered in time
	a.end("late")
	a.add("late", now)
	if !a.has("late") {
		t.Fatal("an answer given while another decision of the message runs was not remembered")
	}
	a.end("late")
	if len(a.deciding) != 0 {
		t.Errorf("deciding = %v after every decision ended, want empty", a.deciding)
	}
}
