package wecomtest

import (
	"context"
	"fmt"
	"time"
)

// WSMessage is an aibot_msg_callback to push: a text @-message in group
// ChatID, or a 1:1 message when ChatID is empty.
type WSMessage struct {
	MsgID  string
	ChatID string
	From   string
	Text   string // without the @mention; the fake adds "@qunbot " in groups
	At     time.Time
}

// Message pushes m and returns the callback's req_id. From then on the bot
// may post into m's chat with aibot_send_msg, as on WeCom.
func (f *LongConn) Message(ctx context.Context, m WSMessage) (string, error) {
	at := m.At
	if at.IsZero() {
		at = f.clock()
	}
	body := map[string]any{
		"msgid": m.MsgID, "aibotid": f.botID, "create_time": at.Unix(),
		"from": map[string]any{"userid": m.From}, "msgtype": "text",
	}
	chat, content := m.From, m.Text
	if m.ChatID != "" {
		body["chatid"], body["chattype"] = m.ChatID, "group"
		chat, content = m.ChatID, "@qunbot "+m.Text
	} else {
		body["chattype"] = "single"
	}
	body["text"] = map[string]any{"content": content}
	return f.push(ctx, "aibot_msg_callback", body, chat)
}

// EnterChat pushes an enter_chat event: from opened the 1:1 chat.
func (f *LongConn) EnterChat(ctx context.Context, msgID, from string) (string, error) {
	return f.push(ctx, "aibot_event_callback", map[string]any{
		"msgid": msgID, "aibotid": f.botID, "create_time": f.clock().Unix(), "chattype": "single",
		"from": map[string]any{"userid": from}, "msgtype": "event",
		"event": map[string]any{"eventtype": "enter_chat"},
	}, "")
}

// CardClick pushes a template_card_event: from pressed the button eventKey
// on the card taskID.
func (f *LongConn) CardClick(ctx context.Context, msgID, from, eventKey, taskID string) (string, error) {
	return f.push(ctx, "aibot_event_callback", map[string]any{
		"msgid": msgID, "aibotid": f.botID, "create_time": f.clock().Unix(), "chattype": "single",
		"from": map[string]any{"userid": from}, "msgtype": "event",
		"event": map[string]any{"eventtype": "template_card_event", "template_card_event": map[string]any{
			"card_type": "button_interaction", "event_key": eventKey, "task_id": taskID,
		}},
	}, "")
}

// Answer waits for the bot's answer to the callback reqID (any of the
// aibot_respond_* commands) and returns it. Only that answer wakes the wait,
// so many concurrent waits cost the bot under test nothing.
func (f *LongConn) Answer(ctx context.Context, reqID string) (Frame, error) {
	f.mu.Lock()
	got, ok := f.answers[reqID]
	ch := f.awaiting[reqID]
	if !ok && ch == nil {
		ch = make(chan struct{})
		f.awaiting[reqID] = ch
	}
	f.mu.Unlock()
	if ok {
		return got, nil
	}
	select {
	case <-ch:
	case <-ctx.Done():
		return Frame{}, fmt.Errorf("wecomtest: no answer to %s: %w", reqID, ctx.Err())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.answers[reqID], nil
}

// Say pushes a text @-message and returns the content of the bot's answer.
func (f *LongConn) Say(ctx context.Context, msgID, chatID, from, text string) (string, error) {
	id, err := f.Message(ctx, WSMessage{MsgID: msgID, ChatID: chatID, From: from, Text: text})
	if err != nil {
		return "", err
	}
	fr, err := f.Answer(ctx, id)
	return fr.Content(), err
}

// Disconnect does what WeCom does when another client subscribes with the
// same bot: it sends the subscribed connection disconnected_event and closes it.
func (f *LongConn) Disconnect() error {
	f.mu.Lock()
	fc := f.active
	f.mu.Unlock()
	if fc == nil {
		return errNoConnection
	}
	f.kick(fc)
	return nil
}

// Drop closes the subscribed connection's socket without a word, as a
// network failure would.
func (f *LongConn) Drop() error {
	f.mu.Lock()
	fc := f.active
	f.mu.Unlock()
	if fc == nil {
		return errNoConnection
	}
	return fc.ws.CloseNow()
}
