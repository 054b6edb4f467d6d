package archive

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// EventPrefix starts the ID of every event made from an archive record: the
// delivery identity is "archive:" + msgid.
const EventPrefix = "archive:"

// message is a decrypted record (DecryptData's JSON), the fields qunbot reads.
type message struct {
	MsgID   string `json:"msgid"`
	Action  string `json:"action"` // send | recall | switch
	From    string `json:"from"`
	RoomID  string `json:"roomid"`  // "" for a 1:1 chat
	MsgTime int64  `json:"msgtime"` // milliseconds
	MsgType string `json:"msgtype"`
	Text    *struct {
		Content string `json:"content"`
	} `json:"text"`
	Mixed *struct {
		Item []struct {
			Type    string `json:"type"`
			Content string `json:"content"` // itself JSON: {"content": "..."} for text
		} `json:"item"`
	} `json:"mixed"`
	Link *struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		LinkURL     string `json:"link_url"`
	} `json:"link"`
	Card *struct {
		CorpName string `json:"corpname"`
		UserID   string `json:"userid"`
	} `json:"card"`
	Weapp *struct {
		Title       string `json:"title"`
		DisplayName string `json:"displayname"`
	} `json:"weapp"`
	Revoke *struct {
		PreMsgID string `json:"pre_msgid"`
	} `json:"revoke"`
}

// messageTypes are the archived types that become a group message, with the
// Event.MsgType each becomes. Others (votes, calendar invitations, red
// packets…) are not group speech and are skipped.
var messageTypes = map[string]string{
	"text": "text", "mixed": "mixed", "link": "link", "card": "card", "weapp": "miniprogram",
	"image": "image", "voice": "voice", "video": "video", "file": "file", "emotion": "emotion",
	"location": "location", "markdown": "text", "news": "link",
}

// Decoded is what a record became.
type Decoded struct {
	Event bot.Event
	// Skip says the record is not a group message qunbot acts on (a 1:1
	// chat, a bot's own message, a type that is not speech); SkipReason says
	// which, for the metrics.
	Skip       bool
	SkipReason string
}

// decode turns a decrypted record into an event, or says why it is skipped.
// bots are the senders whose messages are the bot's own.
func decode(plain []byte, bots map[string]bool) (Decoded, error) {
	var m message
	if err := json.Unmarshal(plain, &m); err != nil {
		return Decoded{}, fmt.Errorf("archive: message JSON: %w", err)
	}
	switch {
	case m.MsgID == "" || m.From == "":
		return Decoded{}, fmt.Errorf("archive: message without msgid or from")
	case m.RoomID == "":
		return skipped("private"), nil
	case bots[m.From] || strings.HasPrefix(m.From, "wb"): // WeCom gives robots external ids starting with wb
		return skipped("bot"), nil
	}
	ev := bot.Event{ID: EventPrefix + m.MsgID, Channel: bot.ChannelArchive, Kind: bot.KindMessage,
		At: time.UnixMilli(m.MsgTime).UTC(), ChatID: m.RoomID, From: m.From}
	if m.Action == "recall" || m.MsgType == "revoke" {
		if m.Revoke == nil || m.Revoke.PreMsgID == "" {
			return Decoded{}, fmt.Errorf("archive: recall %s without pre_msgid", m.MsgID)
		}
		ev.Kind, ev.Recalled = bot.KindRecall, EventPrefix+m.Revoke.PreMsgID
		return Decoded{Event: ev}, nil
	}
	if m.Action != "send" {
		return skipped("action"), nil
	}
	t, ok := messageTypes[m.MsgType]
	if !ok {
		return skipped("type"), nil
	}
	text := m.text()
	ev.MsgType, ev.Text, ev.Mentions = t, bot.StripMentions(text), strings.Contains(text, "@")
	return Decoded{Event: ev}, nil
}

func skipped(reason string) Decoded { return Decoded{Skip: true, SkipReason: reason} }

// text is what detectors read of a message: the text, a mixed message's text
// items, a link's title and address, a mini-program's title.
func (m message) text() string {
	switch {
	case m.Text != nil:
		return strings.TrimSpace(m.Text.Content)
	case m.Mixed != nil:
		var parts []string
		for _, it := range m.Mixed.Item {
			var c struct {
				Content string `json:"content"`
			}
			if it.Type == "text" && json.Unmarshal([]byte(it.Content), &c) == nil && c.Content != "" {
				parts = append(parts, c.Content)
			}
		}
		return strings.TrimSpace(strings.Join(parts, "\n"))
	case m.Link != nil:
		return strings.TrimSpace(m.Link.Title + "\n" + m.Link.LinkURL)
	case m.Card != nil:
		return strings.TrimSpace(m.Card.CorpName + " " + m.Card.UserID)
	case m.Weapp != nil:
		return strings.TrimSpace(m.Weapp.Title)
	}
	return ""
}
