package bot

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// appMsg is the decrypted self-built app callback (PROTOCOL §2a, §2d, §2f).
type appMsg struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   string
	FromUserName string
	CreateTime   int64
	MsgType      string
	Content      string
	Recognition  string // ASR of a voice message, when enabled
	MsgID        string `xml:"MsgId"`
	AgentID      string

	Event         string
	ChatID        string `xml:"ChatId"`
	ChangeType    string
	UpdateDetail  string
	JoinScene     int
	QuitScene     int
	MemChangeCnt  int
	MemChangeList struct {
		Item []string
	}
	LastMemVer string
	CurMemVer  string

	EventKey string
	TaskID   string `xml:"TaskId"`
	CardType string
}

// appMessageTypes are the app message types qunbot records without text.
var appMessageTypes = map[string]bool{
	"image": true, "voice": true, "video": true, "location": true, "link": true, "file": true,
}

// decodeAppEnvelope is ParseAppEnvelope by encoding/xml: the reference the
// envelope scanner must agree with, and its fallback.
func decodeAppEnvelope(body []byte) (string, error) {
	var env struct {
		XMLName xml.Name `xml:"xml"`
		Encrypt string
	}
	if err := xml.Unmarshal(body, &env); err != nil {
		return "", fmt.Errorf("%w: app envelope: %v", ErrMalformed, err)
	}
	if env.Encrypt = strings.TrimSpace(env.Encrypt); env.Encrypt == "" {
		return "", fmt.Errorf("%w: app envelope has no Encrypt", ErrMalformed)
	}
	return env.Encrypt, nil
}

// ParseApp normalizes a decrypted app callback: 1:1 messages to the app,
// change_external_chat, template_card_event and msgaudit_notify.
func ParseApp(plain []byte) (Event, error) {
	var m appMsg
	if err := xml.Unmarshal(plain, &m); err != nil {
		return Event{}, fmt.Errorf("%w: app message: %v", ErrMalformed, err)
	}
	if m.MsgType == "" {
		return Event{}, fmt.Errorf("%w: app message without MsgType", ErrMalformed)
	}
	ev := Event{Channel: ChannelApp, At: unixTime(m.CreateTime), From: m.FromUserName}
	if m.MsgType == "event" {
		return appEventOf(ev, m)
	}
	if m.MsgType != "text" && !appMessageTypes[m.MsgType] {
		return Event{}, fmt.Errorf("%w: app MsgType %q", ErrUnsupported, m.MsgType)
	}
	if m.MsgID == "" {
		return Event{}, fmt.Errorf("%w: app message without MsgId", ErrMalformed)
	}
	ev.ID = "app:" + m.MsgID
	ev.Kind = KindMessage
	ev.MsgType = m.MsgType
	switch m.MsgType {
	case "text":
		ev.Text = strings.TrimSpace(m.Content)
	case "voice":
		ev.Text = strings.TrimSpace(m.Recognition)
	}
	return ev, nil
}

func appEventOf(ev Event, m appMsg) (Event, error) {
	ev.ID = appEventID(m)
	switch m.Event {
	case "change_external_chat":
		ev.Kind = memberKind(m.ChangeType, m.UpdateDetail)
		ev.ChatID = m.ChatID
		ev.Member = MemberChange{
			ChangeType:   m.ChangeType,
			UpdateDetail: m.UpdateDetail,
			UserIDs:      m.MemChangeList.Item,
			Count:        m.MemChangeCnt,
			JoinScene:    m.JoinScene,
			QuitScene:    m.QuitScene,
			LastMemVer:   m.LastMemVer,
			CurMemVer:    m.CurMemVer,
		}
	case "template_card_event":
		ev.Kind = KindCardClick
		ev.Card = CardClick{EventKey: m.EventKey, TaskID: m.TaskID, CardType: m.CardType}
	case "msgaudit_notify":
		ev.Kind = KindArchiveNotify
	case "":
		return Event{}, fmt.Errorf("%w: app event without Event", ErrMalformed)
	default:
		return Event{}, fmt.Errorf("%w: app event %q", ErrUnsupported, m.Event)
	}
	return ev, nil
}

func memberKind(changeType, detail string) Kind {
	if changeType == "update" {
		switch detail {
		case "add_member":
			return KindMemberJoin
		case "del_member":
			return KindMemberLeave
		}
	}
	return KindGroupChange
}

// appEventID digests every field that tells two app events apart, so two
// joins in the same second differ and a redelivery (identical plaintext) does
// not. Fields are length-prefixed so no two field lists collide. 128 bits of
// SHA-256 keep the id short enough for an index.
func appEventID(m appMsg) string {
	fields := []string{
		m.Event, strconv.FormatInt(m.CreateTime, 10), m.ToUserName, m.AgentID, m.FromUserName,
		m.ChatID, m.ChangeType, m.UpdateDetail,
		strconv.Itoa(m.JoinScene), strconv.Itoa(m.QuitScene), strconv.Itoa(m.MemChangeCnt),
		m.LastMemVer, m.CurMemVer, m.EventKey, m.TaskID, m.CardType,
	}
	fields = append(fields, m.MemChangeList.Item...)
	h := sha256.New()
	for _, f := range fields {
		_ = binary.Write(h, binary.BigEndian, uint32(len(f)))
		h.Write([]byte(f))
	}
	return "app:" + hex.EncodeToString(h.Sum(nil)[:16])
}
