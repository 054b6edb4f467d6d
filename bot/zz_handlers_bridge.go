package bot

// BRIDGE FILE of the wt-http branch. It implements, for real but minimally, the
// agreed callback API (crypto, envelopes, parsing, passive replies) so that the
// handlers package builds and is tested before the bot branch lands. At merge
// the lead deletes this one file in favour of the bot engineer's files; the
// names and signatures below are exactly the agreed ones.

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

var (
	ErrDecrypt     = errors.New("bot: payload cannot be decrypted")
	ErrReceiveID   = errors.New("bot: wrong receiveid")
	ErrMalformed   = errors.New("bot: malformed callback")
	ErrUnsupported = errors.New("bot: unsupported callback type")
)

// Crypto is the WXBizMsgCrypt scheme for one callback (token, key, receiveid).
type Crypto struct {
	token     string
	key       []byte
	receiveID string
}

func NewCrypto(token, encodingAESKey, receiveID string) (*Crypto, error) {
	if len(encodingAESKey) != 43 {
		return nil, fmt.Errorf("bot: EncodingAESKey must be 43 characters, got %d", len(encodingAESKey))
	}
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("bot: EncodingAESKey is not valid base64")
	}
	return &Crypto{token: token, key: key, receiveID: receiveID}, nil
}

func (c *Crypto) Signature(timestamp, nonce, data string) string {
	parts := []string{c.token, timestamp, nonce, data}
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}

func (c *Crypto) VerifySignature(signature, timestamp, nonce, data string) bool {
	want := c.Signature(timestamp, nonce, data)
	return subtle.ConstantTimeCompare([]byte(strings.ToLower(signature)), []byte(want)) == 1
}

func (c *Crypto) Decrypt(data string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil || len(raw) == 0 || len(raw)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: bad ciphertext", ErrDecrypt)
	}
	block, _ := aes.NewCipher(c.key)
	p := make([]byte, len(raw))
	cipher.NewCBCDecrypter(block, c.key[:16]).CryptBlocks(p, raw)
	pad := int(p[len(p)-1])
	if pad < 1 || pad > 32 || pad > len(p) || !bytes.Equal(p[len(p)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, fmt.Errorf("%w: bad padding", ErrDecrypt)
	}
	p = p[:len(p)-pad]
	if len(p) < 20 {
		return nil, fmt.Errorf("%w: too short", ErrDecrypt)
	}
	n := binary.BigEndian.Uint32(p[16:20])
	if uint64(n) > uint64(len(p)-20) {
		return nil, fmt.Errorf("%w: bad length", ErrDecrypt)
	}
	if rid := string(p[20+n:]); rid != c.receiveID {
		return nil, fmt.Errorf("%w: %q", ErrReceiveID, rid)
	}
	return p[20 : 20+n], nil
}

func (c *Crypto) Encrypt(plain []byte) (string, error) {
	p := make([]byte, 20, 20+len(plain)+len(c.receiveID)+32)
	if _, err := rand.Read(p[:16]); err != nil {
		return "", fmt.Errorf("bot: random: %w", err)
	}
	binary.BigEndian.PutUint32(p[16:20], uint32(len(plain)))
	p = append(append(p, plain...), c.receiveID...)
	pad := 32 - len(p)%32
	p = append(p, bytes.Repeat([]byte{byte(pad)}, pad)...)
	block, _ := aes.NewCipher(c.key)
	cipher.NewCBCEncrypter(block, c.key[:16]).CryptBlocks(p, p)
	return base64.StdEncoding.EncodeToString(p), nil
}

// ---- 智能机器人 (JSON) ----

func ParseAIBotEnvelope(body []byte) (string, error) {
	var env struct {
		Encrypt string `json:"encrypt"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Encrypt == "" {
		return "", fmt.Errorf("%w: no encrypt field", ErrMalformed)
	}
	return env.Encrypt, nil
}

type aibotText struct {
	Content string `json:"content"`
}

type aibotMsg struct {
	MsgID  string `json:"msgid"`
	ChatID string `json:"chatid"`
	From   struct {
		UserID string `json:"userid"`
	} `json:"from"`
	CreateTime  int64     `json:"create_time"`
	ResponseURL string    `json:"response_url"`
	MsgType     string    `json:"msgtype"`
	Text        aibotText `json:"text"`
	Voice       aibotText `json:"voice"`
	Mixed       struct {
		Items []struct {
			MsgType string    `json:"msgtype"`
			Text    aibotText `json:"text"`
		} `json:"msg_item"`
	} `json:"mixed"`
	Quote *struct {
		Text aibotText `json:"text"`
	} `json:"quote"`
	Event struct {
		EventType string `json:"eventtype"`
		Card      struct {
			EventKey string `json:"event_key"`
			TaskID   string `json:"task_id"`
			CardType string `json:"card_type"`
		} `json:"template_card_event"`
	} `json:"event"`
}

func ParseAIBot(plain []byte) (Event, error) {
	var m aibotMsg
	if err := json.Unmarshal(plain, &m); err != nil || m.MsgID == "" || m.MsgType == "" {
		return Event{}, fmt.Errorf("%w: aibot message", ErrMalformed)
	}
	ev := Event{ID: m.MsgID, Channel: ChannelAIBot, ChatID: m.ChatID, From: m.From.UserID,
		MsgType: m.MsgType, ResponseURL: m.ResponseURL, Kind: KindMessage}
	if m.CreateTime > 0 {
		ev.At = time.Unix(m.CreateTime, 0)
	}
	if m.Quote != nil {
		ev.Quote = m.Quote.Text.Content
	}
	switch m.MsgType {
	case "text":
		ev.Text = stripMention(m.Text.Content)
	case "voice":
		ev.Text = strings.TrimSpace(m.Voice.Content)
	case "mixed":
		var parts []string
		for _, it := range m.Mixed.Items {
			if it.MsgType == "text" {
				parts = append(parts, it.Text.Content)
			}
		}
		ev.Text = stripMention(strings.Join(parts, " "))
	case "image", "file", "video":
	case "event":
		return aibotEvent(ev, m)
	default:
		return Event{}, fmt.Errorf("%w: aibot msgtype %q", ErrUnsupported, m.MsgType)
	}
	return ev, nil
}

func aibotEvent(ev Event, m aibotMsg) (Event, error) {
	switch m.Event.EventType {
	case "enter_chat":
		ev.Kind = KindEnterChat
	case "template_card_event":
		ev.Kind = KindCardClick
		ev.Card = CardClick{EventKey: m.Event.Card.EventKey, TaskID: m.Event.Card.TaskID, CardType: m.Event.Card.CardType}
	default:
		return Event{}, fmt.Errorf("%w: aibot event %q", ErrUnsupported, m.Event.EventType)
	}
	return ev, nil
}

// stripMention drops a leading "@name" token.
func stripMention(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "@") {
		if i := strings.IndexAny(s, " \u2005\u00a0"); i > 0 {
			return strings.TrimSpace(s[i:])
		}
		return ""
	}
	return s
}

func (c *Crypto) AIBotReply(streamID, content, timestamp, nonce string) ([]byte, error) {
	type stream struct {
		ID      string `json:"id"`
		Finish  bool   `json:"finish"`
		Content string `json:"content"`
	}
	plain, err := json.Marshal(struct {
		MsgType string `json:"msgtype"`
		Stream  stream `json:"stream"`
	}{"stream", stream{streamID, true, content}})
	if err != nil {
		return nil, fmt.Errorf("bot: aibot reply: %w", err)
	}
	enc, err := c.Encrypt(plain)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]string{"encrypt": enc, "msgsignature": c.Signature(timestamp, nonce, enc),
		"timestamp": timestamp, "nonce": nonce})
}

// ---- self-built app (XML) ----

type cdata struct {
	Text string `xml:",cdata"`
}

func ParseAppEnvelope(body []byte) (string, error) {
	var env struct {
		Encrypt string `xml:"Encrypt"`
	}
	if err := xml.Unmarshal(body, &env); err != nil || env.Encrypt == "" {
		return "", fmt.Errorf("%w: no Encrypt element", ErrMalformed)
	}
	return env.Encrypt, nil
}

type appMsg struct {
	FromUserName, MsgType, Content, MsgId, Event, ChatId, ChangeType, UpdateDetail string
	EventKey, TaskId, CardType, LastMemVer, CurMemVer                              string
	CreateTime, JoinScene, QuitScene, MemChangeCnt                                 int
	MemChangeList                                                                  []string `xml:"MemChangeList>Item"`
}

func ParseApp(plain []byte) (Event, error) {
	var m appMsg
	if err := xml.Unmarshal(plain, &m); err != nil || m.MsgType == "" || m.CreateTime == 0 {
		return Event{}, fmt.Errorf("%w: app message", ErrMalformed)
	}
	ev := Event{Channel: ChannelApp, From: m.FromUserName, MsgType: m.MsgType, At: time.Unix(int64(m.CreateTime), 0)}
	if m.MsgType == "text" {
		if m.MsgId == "" {
			return Event{}, fmt.Errorf("%w: text without MsgId", ErrMalformed)
		}
		ev.ID, ev.Kind, ev.Text = m.MsgId, KindMessage, strings.TrimSpace(m.Content)
		return ev, nil
	}
	if m.MsgType != "event" {
		return Event{}, fmt.Errorf("%w: app msgtype %q", ErrUnsupported, m.MsgType)
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{m.Event, strconv.Itoa(m.CreateTime), m.FromUserName, m.ChatId,
		m.ChangeType, m.UpdateDetail, strings.Join(m.MemChangeList, ","), m.EventKey, m.TaskId}, "\x00")))
	ev.ID = "app-" + hex.EncodeToString(sum[:16])
	switch m.Event {
	case "change_external_chat":
		ev.ChatID, ev.Kind = m.ChatId, KindGroupChange
		ev.Member = MemberChange{ChangeType: m.ChangeType, UpdateDetail: m.UpdateDetail, UserIDs: m.MemChangeList,
			Count: m.MemChangeCnt, JoinScene: m.JoinScene, QuitScene: m.QuitScene, LastMemVer: m.LastMemVer, CurMemVer: m.CurMemVer}
		switch m.UpdateDetail {
		case "add_member":
			ev.Kind = KindMemberJoin
		case "del_member":
			ev.Kind = KindMemberLeave
		}
	case "template_card_event":
		ev.Kind, ev.Card = KindCardClick, CardClick{EventKey: m.EventKey, TaskID: m.TaskId, CardType: m.CardType}
	case "msgaudit_notify":
		ev.Kind = KindArchiveNotify
	default:
		return Event{}, fmt.Errorf("%w: app event %q", ErrUnsupported, m.Event)
	}
	return ev, nil
}

func (c *Crypto) AppReply(toUser, fromUser, content, timestamp, nonce string, at time.Time) ([]byte, error) {
	plain, err := xml.Marshal(struct {
		XMLName      xml.Name `xml:"xml"`
		ToUserName   cdata
		FromUserName cdata
		CreateTime   int64
		MsgType      cdata
		Content      cdata
	}{ToUserName: cdata{toUser}, FromUserName: cdata{fromUser}, CreateTime: at.Unix(), MsgType: cdata{"text"}, Content: cdata{content}})
	if err != nil {
		return nil, fmt.Errorf("bot: app reply: %w", err)
	}
	enc, err := c.Encrypt(plain)
	if err != nil {
		return nil, err
	}
	return xml.Marshal(struct {
		XMLName      xml.Name `xml:"xml"`
		Encrypt      cdata
		MsgSignature cdata
		TimeStamp    string
		Nonce        cdata
	}{Encrypt: cdata{enc}, MsgSignature: cdata{c.Signature(timestamp, nonce, enc)}, TimeStamp: timestamp, Nonce: cdata{nonce}})
}
