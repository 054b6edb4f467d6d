package wecomtest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// LongConn fakes WeCom's 智能机器人 long-connection server (wss, doc 101463):
// it acknowledges subscribe (checking the bot id and secret), pings and
// answers, pushes message and event callbacks, enforces one subscribed
// connection per bot (a second subscribe kicks the first with
// disconnected_event, as WeCom does), and records every frame it receives.
// It is safe for concurrent use.
type LongConn struct {
	srv           *httptest.Server
	botID, secret string

	mu         sync.Mutex
	now        func() time.Time
	changed    chan struct{} // closed and replaced whenever something is recorded
	conns      int
	active     *fakeConn // the subscribed connection, if any
	frames     []Frame
	answers    map[string]Frame         // the first aibot_respond_* frame by req_id
	awaiting   map[string]chan struct{} // closed when that req_id's answer arrives
	subscribes int
	kicks      int
	pushable   map[string]bool // chats (chatid, or userid for 1:1) a member has spoken to the bot in
	refuse     map[string]int  // chat → errcode aibot_send_msg answers
	mutePings  bool
	onFrame    func(Frame)
	seq        int
}

// fakeConn is one accepted connection.
type fakeConn struct {
	n          int
	ws         *websocket.Conn
	subscribed bool
	closed     bool
	callbacks  map[string]bool // req_ids of callbacks pushed on this connection
}

// Frame is one frame the fake received from the bot.
type Frame struct {
	Conn  int // which connection sent it: 1 is the first accepted
	Cmd   string
	ReqID string
	Body  map[string]any
	At    time.Time
}

// Content is the text a frame carries: a stream's or markdown's content, a
// text's content, or a card's main title.
func (f Frame) Content() string {
	for _, path := range [][]string{{"stream", "content"}, {"markdown", "content"}, {"text", "content"},
		{"template_card", "main_title", "title"}} {
		if s := lookup(f.Body, path...); s != "" {
			return s
		}
	}
	return ""
}

// Str reads a string field of the body by path ("chatid", or "stream", "id").
func (f Frame) Str(path ...string) string { return lookup(f.Body, path...) }

func lookup(m map[string]any, path ...string) string {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = mm[p]
	}
	s, _ := cur.(string)
	return s
}

// NewLongConn starts a fake that accepts botID and secret. Close it when done.
func NewLongConn(botID, secret string) *LongConn {
	f := &LongConn{botID: botID, secret: secret, now: time.Now, changed: make(chan struct{}),
		answers: map[string]Frame{}, awaiting: map[string]chan struct{}{}, pushable: map[string]bool{}, refuse: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

// URL is the ws:// address to configure as QUNBOT_AIBOT_WS_URL.
func (f *LongConn) URL() string { return "ws" + strings.TrimPrefix(f.srv.URL, "http") }

// Close closes every connection and stops the server.
func (f *LongConn) Close() {
	f.srv.CloseClientConnections()
	f.srv.Close()
}

// SetClock makes the fake stamp callbacks (create_time) and frames with now,
// so they agree with the clock the bot under test runs on.
func (f *LongConn) SetClock(now func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = now
}

func (f *LongConn) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now()
}

// OnFrame registers fn to run for every received frame, after it is recorded.
func (f *LongConn) OnFrame(fn func(Frame)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.onFrame = fn
}

// MutePings makes the fake stop (or resume) acknowledging pings.
func (f *LongConn) MutePings(mute bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mutePings = mute
}

// Refuse makes aibot_send_msg to chat answer errcode (0 lifts it).
func (f *LongConn) Refuse(chat string, errcode int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refuse[chat] = errcode
}

// Frames returns the received frames of the given commands (all when none),
// oldest first.
func (f *LongConn) Frames(cmds ...string) []Frame {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Frame
	for _, fr := range f.frames {
		if len(cmds) == 0 || slices.Contains(cmds, fr.Cmd) {
			out = append(out, fr)
		}
	}
	return out
}

// Subscribes counts accepted subscribes; Kicks counts those that found
// another connection subscribed and kicked it; Connections counts accepted
// sockets.
func (f *LongConn) Subscribes() int { return f.count(func() int { return f.subscribes }) }
func (f *LongConn) Kicks() int      { return f.count(func() int { return f.kicks }) }
func (f *LongConn) Connections() int {
	return f.count(func() int { return f.conns })
}

// Active is the number of the subscribed connection, 0 when none is.
func (f *LongConn) Active() int {
	return f.count(func() int {
		if f.active == nil {
			return 0
		}
		return f.active.n
	})
}

func (f *LongConn) count(fn func() int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return fn()
}

// Wait blocks until cond holds or ctx ends. cond is asked again whenever
// the fake records something; it may call the fake's methods.
func (f *LongConn) Wait(ctx context.Context, cond func() bool) error {
	for {
		f.mu.Lock()
		ch := f.changed
		f.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// waitLocked is Wait with cond called while the fake is locked.
func (f *LongConn) waitLocked(ctx context.Context, cond func() bool) error {
	for {
		f.mu.Lock()
		ok, ch := cond(), f.changed
		f.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// WaitSubscribed blocks until a connection is subscribed and at least n
// subscribes were accepted in all.
func (f *LongConn) WaitSubscribed(ctx context.Context, n int) error {
	return f.waitLocked(ctx, func() bool { return f.active != nil && f.subscribes >= n })
}

// WaitFrames blocks until n frames of cmd were received and returns them.
func (f *LongConn) WaitFrames(ctx context.Context, cmd string, n int) ([]Frame, error) {
	err := f.waitLocked(ctx, func() bool {
		c := 0
		for _, fr := range f.frames {
			if fr.Cmd == cmd {
				c++
			}
		}
		return c >= n
	})
	return f.Frames(cmd), err
}

// touch wakes every Wait; f.mu is held.
func (f *LongConn) touch() {
	close(f.changed)
	f.changed = make(chan struct{})
}

var errNoConnection = errors.New("wecomtest: no subscribed long connection")
