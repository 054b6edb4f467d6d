package longconn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/qunbot/qunbot/bot"
)

var (
	// errClosed is a request on a connection that is gone.
	errClosed = errors.New("longconn: connection closed")
	// errTakenOver is the end of a connection by disconnected_event: another
	// connection subscribed with the same bot.
	errTakenOver = errors.New("longconn: another connection took over the bot (disconnected_event)")
	// errDead is the end of a connection whose pings went unanswered.
	errDead = errors.New("longconn: two pings unanswered")
)

// maxFrame bounds one received frame; callbacks are a few KiB.
const maxFrame = 1 << 20

// session is one WebSocket connection. Writes may come from any goroutine
// (the heartbeat, answers, outbox sends): coder/websocket serializes them.
// Reads happen only in readLoop, which never runs a handler itself, so a
// slow decision never holds up acks or the heartbeat.
type session struct {
	c    *Client
	ws   *websocket.Conn
	done chan struct{} // closed when readLoop ends; err says why
	err  error

	mu      sync.Mutex
	pending map[string]func(frame) // req_id → what to do with its ack
	missed  atomic.Int32           // pings sent and not yet acknowledged
}

func newSession(c *Client, ws *websocket.Conn) *session {
	ws.SetReadLimit(maxFrame)
	return &session{c: c, ws: ws, done: make(chan struct{}), pending: map[string]func(frame){}}
}

// readLoop reads frames until the socket ends: acks go to their waiting
// request, callbacks each to their own goroutine, disconnected_event ends the
// session for good.
func (s *session) readLoop(ctx context.Context) {
	defer s.finish()
	for {
		_, data, err := s.ws.Read(ctx)
		if err != nil {
			s.err = fmt.Errorf("longconn: connection lost: %w", err)
			return
		}
		var f frame
		if err := json.Unmarshal(data, &f); err != nil {
			s.c.log.Warn("long connection: frame is not JSON", "err", err)
			continue
		}
		switch f.Cmd {
		case "":
			s.ack(f)
		case cmdEventCallback, cmdMsgCallback:
			if f.Cmd == cmdEventCallback && eventType(f.Body) == "disconnected_event" {
				s.err = errTakenOver
				return
			}
			s.c.dispatch(s, f)
		default:
			s.c.log.Debug("long connection: frame ignored", "cmd", f.Cmd)
		}
	}
}

// finish closes the socket and fails every request still waiting.
func (s *session) finish() {
	_ = s.ws.CloseNow()
	s.mu.Lock()
	s.pending = nil
	s.mu.Unlock()
	close(s.done)
}

func (s *session) ack(f frame) {
	s.mu.Lock()
	fn := s.pending[f.Headers.ReqID]
	delete(s.pending, f.Headers.ReqID)
	s.mu.Unlock()
	if fn != nil {
		fn(f)
	}
}

// expect registers what to do with reqID's ack; false when the session ended.
func (s *session) expect(reqID string, fn func(frame)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending == nil {
		return false
	}
	s.pending[reqID] = fn
	return true
}

func (s *session) forget(reqID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.pending, reqID)
}

func (s *session) write(ctx context.Context, r request) error {
	b, err := bot.MarshalJSON(r)
	if err != nil {
		return fmt.Errorf("longconn: encode %s: %w", r.Cmd, err)
	}
	if err := s.ws.Write(ctx, websocket.MessageText, b); err != nil {
		return fmt.Errorf("longconn: write %s: %w", r.Cmd, err)
	}
	return nil
}

// call sends r and waits for its ack, at most the client's ack timeout.
func (s *session) call(ctx context.Context, r request) (frame, error) {
	got := make(chan frame, 1)
	if !s.expect(r.Headers.ReqID, func(f frame) { got <- f }) {
		return frame{}, errClosed
	}
	defer s.forget(r.Headers.ReqID)
	ctx, cancel := context.WithTimeout(ctx, s.c.o.AckTimeout)
	defer cancel()
	if err := s.write(ctx, r); err != nil {
		return frame{}, err
	}
	select {
	case f := <-got:
		return f, nil
	case <-s.done:
		select {
		case f := <-got: // the ack came just before the socket closed
			return f, nil
		default:
			return frame{}, errClosed
		}
	case <-ctx.Done():
		return frame{}, fmt.Errorf("longconn: %s: no ack: %w", r.Cmd, ctx.Err())
	}
}

// request sends a new request of cmd and waits for its ack.
func (s *session) request(ctx context.Context, cmd string, body any) (frame, error) {
	return s.call(ctx, request{Cmd: cmd, Headers: headers{ReqID: newReqID(cmd, time.Now())}, Body: body})
}

// ping sends one heartbeat; its ack, whenever it comes, clears the misses.
func (s *session) ping(ctx context.Context) error {
	id := newReqID(cmdPing, time.Now())
	if !s.expect(id, func(frame) { s.missed.Store(0) }) {
		return errClosed
	}
	s.missed.Add(1)
	return s.write(ctx, request{Cmd: cmdPing, Headers: headers{ReqID: id}})
}

// heartbeat pings every interval until the session ends, ctx ends, or two
// pings in a row went unanswered (then the socket is closed: dead peer).
func (s *session) heartbeat(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.done:
			return s.err
		case <-s.c.o.After(s.c.o.Ping):
		}
		if s.missed.Load() >= 2 {
			return errDead
		}
		if err := s.ping(ctx); err != nil {
			return err
		}
	}
}

// alive reports whether the socket is still open.
func (s *session) alive() bool {
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}
