package longconn

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/wecomtest"
)

const (
	testBot    = "aib-test"
	testSecret = "s3cret-ws"
	testPing   = 7 * time.Second // distinct from every back-off step, so tests can tell timers apart
)

// timers is an injected After: nothing fires until the test fires it.
type timers struct {
	mu      sync.Mutex
	pending []timerReq
	asked   []time.Duration
	changed chan struct{}
}

type timerReq struct {
	d  time.Duration
	ch chan time.Time
}

func newTimers() *timers { return &timers{changed: make(chan struct{})} }

func (t *timers) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	t.mu.Lock()
	t.pending = append(t.pending, timerReq{d, ch})
	t.asked = append(t.asked, d)
	close(t.changed)
	t.changed = make(chan struct{})
	t.mu.Unlock()
	return ch
}

// fire waits until a timer of d is pending and fires the newest one; older
// ones of d belong to loops that have ended and are dropped.
func (t *timers) fire(tb testing.TB, d time.Duration) {
	tb.Helper()
	deadline := time.After(10 * time.Second)
	for {
		t.mu.Lock()
		idx := -1
		for i, p := range t.pending {
			if p.d == d {
				idx = i
			}
		}
		if idx >= 0 {
			ch := t.pending[idx].ch
			keep := t.pending[:0]
			for _, p := range t.pending {
				if p.d != d {
					keep = append(keep, p)
				}
			}
			t.pending = keep
			t.mu.Unlock()
			ch <- time.Now()
			return
		}
		changed := t.changed
		t.mu.Unlock()
		select {
		case <-changed:
		case <-deadline:
			tb.Fatalf("no timer of %s was asked for", d)
		}
	}
}

func (t *timers) askedFor() []time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]time.Duration(nil), t.asked...)
}

// decider answers "echo: <text>" exactly once per event id, as the engine
// does: a repeated id gets the stored reply and has no effect. When hold is
// set, every decision waits for it to be closed; the first fail decisions
// fail.
type decider struct {
	mu      sync.Mutex
	effects map[string]int
	stored  map[string]string
	hold    chan struct{}
	fail    int
}

func (d *decider) Handle(ctx context.Context, ev bot.Event) ([]bot.Action, error) {
	d.mu.Lock()
	hold := d.hold
	if d.fail > 0 {
		d.fail--
		d.mu.Unlock()
		return nil, errors.New("decider: database busy")
	}
	d.mu.Unlock()
	if hold != nil {
		<-hold
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.effects == nil {
		d.effects, d.stored = map[string]int{}, map[string]string{}
	}
	if reply, ok := d.stored[ev.ID]; ok {
		return []bot.Action{{Kind: bot.ActReply, Text: reply, Stored: true}}, nil
	}
	d.effects[ev.ID]++
	text := "echo: " + ev.Text
	switch ev.Kind {
	case bot.KindEnterChat:
		text = "welcome " + ev.From
	case bot.KindCardClick:
		text = "clicked " + ev.Card.EventKey
	}
	d.stored[ev.ID] = text
	return []bot.Action{{Kind: bot.ActReply, Text: text}}, nil
}

// count is how many times the event had an effect.
func (d *decider) count(id string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.effects[id]
}

// late records answers queued for aibot_send_msg.
type late struct {
	mu   sync.Mutex
	got  []string // msgid=reply; "" releases a hold
	held []string
	ch   chan struct{}
}

func (l *late) HoldLate(_ context.Context, ev bot.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.held = append(l.held, ev.ID)
	return nil
}

func (l *late) AnswerLate(_ context.Context, ev bot.Event, reply string) error {
	l.mu.Lock()
	l.got = append(l.got, ev.ID+"="+reply)
	l.mu.Unlock()
	l.ch <- struct{}{}
	return nil
}

// rig is a client on a fake server, with injected timers.
type rig struct {
	fake    *wecomtest.LongConn
	client  *Client
	timers  *timers
	decider *decider
	late    *late
	cancel  context.CancelFunc
	done    chan struct{}
}

func newRig(t *testing.T, edit ...func(*Options)) *rig {
	t.Helper()
	fake := wecomtest.NewLongConn(testBot, testSecret)
	t.Cleanup(fake.Close)
	return newRigOn(t, fake, edit...)
}

// newRigOn runs a client on an existing fake (a second replica).
func newRigOn(t *testing.T, fake *wecomtest.LongConn, edit ...func(*Options)) *rig {
	t.Helper()
	r := &rig{fake: fake, timers: newTimers(), decider: &decider{}, late: &late{ch: make(chan struct{}, 10)}, done: make(chan struct{})}
	o := Options{
		URL: fake.URL(), BotID: testBot, Secret: testSecret, Ping: testPing,
		Answers: &bot.Answers{Decider: r.decider, Retries: []time.Duration{time.Second, time.Second},
			Sleep: func(context.Context, time.Duration) error { return nil }},
		Late: r.late, After: r.timers.After, Jitter: func(time.Duration) time.Duration { return 0 },
	}
	for _, e := range edit {
		e(&o)
	}
	r.client = New(o)
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { defer close(r.done); _ = r.client.Run(ctx) }()
	t.Cleanup(r.stop)
	return r
}

func (r *rig) stop() {
	r.cancel()
	<-r.done
	r.client.Wait()
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitState waits until the client reaches s.
func waitState(t *testing.T, c *Client, s State) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for c.State() != s {
		if time.Now().After(deadline) {
			t.Fatalf("state %s, want %s", c.State(), s)
		}
		time.Sleep(time.Millisecond)
	}
}

// subscribed waits for the first subscribe and returns the test's context.
func (r *rig) subscribed(t *testing.T) context.Context {
	t.Helper()
	ctx := ctxT(t)
	if err := r.fake.WaitSubscribed(ctx, 1); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// holdDecisions makes every decision wait until the returned channel is closed.
func (r *rig) holdDecisions() chan struct{} {
	hold := make(chan struct{})
	r.decider.mu.Lock()
	r.decider.hold = hold
	r.decider.mu.Unlock()
	return hold
}
