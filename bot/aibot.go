package bot

import (
	"encoding/json"
	"fmt"
	"strings"
)

// aibotMsg is the decrypted 智能机器人 callback (PROTOCOL §2c).
type aibotMsg struct {
	MsgID       string      `json:"msgid"`
	ChatID      string      `json:"chatid"`
	ChatType    string      `json:"chattype"`
	From        aibotFrom   `json:"from"`
	CreateTime  flexInt     `json:"create_time"`
	ResponseURL string      `json:"response_url"`
	MsgType     string      `json:"msgtype"`
	Text        *aibotText  `json:"text"`
	Voice       *aibotText  `json:"voice"`
	Mixed       *aibotMixed `json:"mixed"`
	Quote       *aibotQuote `json:"quote"`
	Event       *aibotEvent `json:"event"`
}

type aibotFrom struct {
	UserID string `json:"userid"`
}

type aibotText struct {
	Content string `json:"content"`
}

type aibotMixed struct {
	MsgItem []struct {
		MsgType string     `json:"msgtype"`
		Text    *aibotText `json:"text"`
	} `json:"msg_item"`
}

type aibotQuote struct {
	MsgType string      `json:"msgtype"`
	Text    *aibotText  `json:"text"`
	Voice   *aibotText  `json:"voice"`
	Mixed   *aibotMixed `json:"mixed"`
}

type aibotEvent struct {
	EventType string `json:"eventtype"`
	CardEvent *struct {
		CardType string `json:"card_type"`
		EventKey string `json:"event_key"`
		TaskID   string `json:"task_id"`
	} `json:"template_card_event"`
}

// decodeAIBotEnvelope is ParseAIBotEnvelope by encoding/json: the reference
// the envelope scanner must agree with, and its fallback.
func decodeAIBotEnvelope(body []byte) (string, error) {
	var env struct {
		Encrypt string `json:"encrypt"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return "", fmt.Errorf("%w: aibot envelope: %v", ErrMalformed, err)
	}
	if env.Encrypt == "" {
		return "", fmt.Errorf("%w: aibot envelope has no encrypt", ErrMalformed)
	}
	return env.Encrypt, nil
}

// ParseAIBot normalizes a decrypted 智能机器人 callback. Stream refreshes,
// feedback events and unknown types return ErrUnsupported: qunbot always
// answers with finish:true, so it has no stream to continue.
func ParseAIBot(plain []byte) (Event, error) {
	var m aibotMsg
	if err := json.Unmarshal(plain, &m); err != nil {
		return Event{}, fmt.Errorf("%w: aibot message: %v", ErrMalformed, err)
	}
	if m.MsgID == "" || m.MsgType == "" {
		return Event{}, fmt.Errorf("%w: aibot message without msgid or msgtype", ErrMalformed)
	}
	ev := Event{
		ID:          m.MsgID,
		Channel:     ChannelAIBot,
		Kind:        KindMessage,
		At:          unixTime(int64(m.CreateTime)),
		From:        m.From.UserID,
		MsgType:     m.MsgType,
		ResponseURL: m.ResponseURL,
	}
	if m.ChatType == "group" {
		ev.ChatID = m.ChatID
	}
	switch m.MsgType {
	case "text", "mixed", "voice":
		ev.Text = stripMention(m.content())
	case "image", "file", "video":
	case "event":
		return aibotEventOf(ev, m.Event)
	default:
		return Event{}, fmt.Errorf("%w: aibot msgtype %q", ErrUnsupported, m.MsgType)
	}
	if m.Quote != nil {
		ev.Quote = strings.TrimSpace(m.Quote.content())
	}
	return ev, nil
}

func (m aibotMsg) content() string {
	return aibotQuote{MsgType: m.MsgType, Text: m.Text, Voice: m.Voice, Mixed: m.Mixed}.content()
}

// content is the text a message (or quoted message) carries: the text, the
// ASR of a voice message, or the text items of a mixed one joined by newlines.
func (q aibotQuote) content() string {
	switch {
	case q.MsgType == "text" && q.Text != nil:
		return q.Text.Content
	case q.MsgType == "voice" && q.Voice != nil:
		return q.Voice.Content
	case q.MsgType == "mixed" && q.Mixed != nil:
		var parts []string
		for _, it := range q.Mixed.MsgItem {
			if it.MsgType == "text" && it.Text != nil {
				parts = append(parts, it.Text.Content)
			}
		}
		return strings.Join(parts, "\n")
	}
	return ""
}

func aibotEventOf(ev Event, e *aibotEvent) (Event, error) {
	if e == nil || e.EventType == "" {
		return Event{}, fmt.Errorf("%w: aibot event without eventtype", ErrMalformed)
	}
	ev.MsgType = ""
	switch e.EventType {
	case "enter_chat":
		ev.Kind = KindEnterChat
	case "template_card_event":
		ev.Kind = KindCardClick
		if e.CardEvent != nil {
			ev.Card = CardClick{EventKey: e.CardEvent.EventKey, TaskID: e.CardEvent.TaskID, CardType: e.CardEvent.CardType}
		}
	default:
		return Event{}, fmt.Errorf("%w: aibot event %q", ErrUnsupported, e.EventType)
	}
	return ev, nil
}
