package wecomtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// wsFrame is a frame on the wire, in either direction.
type wsFrame struct {
	Cmd     string          `json:"cmd,omitempty"`
	Headers wsHeaders       `json:"headers"`
	Body    json.RawMessage `json:"body,omitempty"`
	ErrCode *int            `json:"errcode,omitempty"`
	ErrMsg  string          `json:"errmsg,omitempty"`
}

type wsHeaders struct {
	ReqID string `json:"req_id"`
}

func ackFrame(reqID string, code int, msg string) wsFrame {
	return wsFrame{Headers: wsHeaders{ReqID: reqID}, ErrCode: &code, ErrMsg: msg}
}

func (f *LongConn) serve(w http.ResponseWriter, r *http.Request) {
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	ws.SetReadLimit(1 << 20)
	f.mu.Lock()
	f.conns++
	fc := &fakeConn{n: f.conns, ws: ws, callbacks: map[string]bool{}}
	f.touch()
	f.mu.Unlock()
	defer f.closed(fc)
	ctx := r.Context()
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			return
		}
		var in wsFrame
		if json.Unmarshal(data, &in) != nil {
			continue
		}
		ack, kicked := f.apply(fc, in)
		if ack != nil {
			_ = writeFrame(ctx, ws, *ack)
		}
		if kicked != nil {
			f.kick(kicked)
		}
	}
}

func (f *LongConn) closed(fc *fakeConn) {
	_ = fc.ws.CloseNow()
	f.mu.Lock()
	defer f.mu.Unlock()
	fc.closed = true
	if f.active == fc {
		f.active = nil
	}
	f.touch()
}

// apply records one received frame and decides its ack (nil: none, for a
// muted ping). kicked is a connection the subscribe superseded.
func (f *LongConn) apply(fc *fakeConn, in wsFrame) (ack *wsFrame, kicked *fakeConn) {
	if in.Cmd == "aibot_subscribe" {
		f.awaitClosing(fc)
	}
	f.mu.Lock()
	var body map[string]any
	_ = json.Unmarshal(in.Body, &body)
	fr := Frame{Conn: fc.n, Cmd: in.Cmd, ReqID: in.Headers.ReqID, Body: body, At: f.now()}
	f.frames = append(f.frames, fr)
	if _, seen := f.answers[fr.ReqID]; !seen && strings.HasPrefix(fr.Cmd, "aibot_respond_") {
		f.answers[fr.ReqID] = fr
		if ch, ok := f.awaiting[fr.ReqID]; ok {
			close(ch)
			delete(f.awaiting, fr.ReqID)
		}
	}
	a := f.answer(fc, in, body)
	if in.Cmd == "aibot_subscribe" && a.ErrCode != nil && *a.ErrCode == 0 {
		if f.active != nil && f.active != fc {
			kicked = f.active
			f.kicks++
		}
		fc.subscribed = true
		f.active = fc
		f.subscribes++
	}
	f.touch()
	onFrame := f.onFrame
	f.mu.Unlock()
	if onFrame != nil {
		onFrame(fr)
	}
	if in.Cmd == "ping" && a.ErrCode == nil {
		return nil, kicked
	}
	return &a, kicked
}

// awaitClosing gives the subscribed connection up to a second to be seen
// closed before fc's subscribe is applied: a client that closed its socket
// and reconnected (never faster than once a second) has not been taken over,
// though this server may not have read the close yet. A connection still
// open after that second is kicked.
func (f *LongConn) awaitClosing(fc *fakeConn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = f.waitLocked(ctx, func() bool { return f.active == nil || f.active == fc })
}

// answer is the ack of one request; f.mu is held. A ping the fake is told
// to ignore has no errcode (and is not answered).
func (f *LongConn) answer(fc *fakeConn, in wsFrame, body map[string]any) wsFrame {
	id := in.Headers.ReqID
	switch {
	case in.Cmd == "ping" && f.mutePings:
		return wsFrame{}
	case in.Cmd == "ping":
		return ackFrame(id, 0, "ok")
	case in.Cmd == "aibot_subscribe":
		if lookup(body, "bot_id") != f.botID || lookup(body, "secret") != f.secret {
			return ackFrame(id, 40001, "fake: invalid bot_id or secret")
		}
		return ackFrame(id, 0, "ok")
	case !fc.subscribed:
		return ackFrame(id, 846609, "aibot websocket not subscribed")
	case in.Cmd == "aibot_respond_msg" || in.Cmd == "aibot_respond_welcome_msg" || in.Cmd == "aibot_respond_update_msg":
		if !fc.callbacks[id] {
			return ackFrame(id, 846605, "invalid req_id")
		}
		return ackFrame(id, 0, "ok")
	case in.Cmd == "aibot_send_msg":
		chat := lookup(body, "chatid")
		if code := f.refuse[chat]; code != 0 {
			return ackFrame(id, code, "fake: refused by Refuse")
		}
		if !f.pushable[chat] {
			return ackFrame(id, 93006, "invalid chatid")
		}
		return ackFrame(id, 0, "ok")
	}
	return ackFrame(id, 40008, "fake: unknown cmd "+in.Cmd)
}

// kick tells a superseded connection it was taken over, then closes it.
func (f *LongConn) kick(fc *fakeConn) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	body := fmt.Sprintf(`{"msgid":"disc-%d","create_time":%d,"aibotid":%q,"msgtype":"event","event":{"eventtype":"disconnected_event"}}`,
		fc.n, f.clock().Unix(), f.botID)
	_ = writeFrame(ctx, fc.ws, wsFrame{Cmd: "aibot_event_callback", Headers: wsHeaders{ReqID: "kick-" + strconv.Itoa(fc.n)},
		Body: json.RawMessage(body)})
	_ = fc.ws.Close(websocket.StatusNormalClosure, "superseded")
}

func writeFrame(ctx context.Context, ws *websocket.Conn, fr wsFrame) error {
	b, err := json.Marshal(fr)
	if err != nil {
		return err
	}
	return ws.Write(ctx, websocket.MessageText, b)
}

// push sends a callback to the subscribed connection and returns its req_id.
func (f *LongConn) push(ctx context.Context, cmd string, body map[string]any, chat string) (string, error) {
	f.mu.Lock()
	fc := f.active
	if fc == nil {
		f.mu.Unlock()
		return "", errNoConnection
	}
	f.seq++
	id := fmt.Sprintf("fake_%s_%d", strings.TrimPrefix(cmd, "aibot_"), f.seq)
	fc.callbacks[id] = true
	if chat != "" {
		f.pushable[chat] = true
	}
	f.mu.Unlock()
	b, err := json.Marshal(body)
	if err != nil {
		return "", err
	}
	if err := writeFrame(ctx, fc.ws, wsFrame{Cmd: cmd, Headers: wsHeaders{ReqID: id}, Body: b}); err != nil {
		return "", fmt.Errorf("wecomtest: push %s: %w", cmd, err)
	}
	return id, nil
}
