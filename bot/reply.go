package bot

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"time"
)

// aibotStreamReply is the plaintext of a finished 智能机器人 stream answer.
type aibotStreamReply struct {
	MsgType string `json:"msgtype"`
	Stream  struct {
		ID      string `json:"id"`
		Finish  bool   `json:"finish"`
		Content string `json:"content"`
	} `json:"stream"`
}

// aibotEnvelope is the encrypted JSON passive reply.
type aibotEnvelope struct {
	Encrypt      string `json:"encrypt"`
	MsgSignature string `json:"msgsignature"`
	TimeStamp    string `json:"timestamp"`
	Nonce        string `json:"nonce"`
}

// AIBotReply builds the encrypted passive reply body for a 智能机器人 message:
// a stream with finish:true whose content is the answer.
func (c *Crypto) AIBotReply(streamID, content, timestamp, nonce string) ([]byte, error) {
	plain, err := aibotReplyPlain(streamID, content)
	if err != nil {
		return nil, err
	}
	return c.aibotSeal(plain, timestamp, nonce)
}

// AIBotWelcome builds the passive reply to an enter_chat event: WeCom takes a
// text (not a stream) as the greeting of a 1:1 chat.
func (c *Crypto) AIBotWelcome(content, timestamp, nonce string) ([]byte, error) {
	var r aibotTextReply
	r.MsgType, r.Text.Content = "text", content
	plain, err := marshalJSON(r)
	if err != nil {
		return nil, err
	}
	return c.aibotSeal(plain, timestamp, nonce)
}

// aibotSeal encrypts a reply plaintext into the signed JSON envelope.
func (c *Crypto) aibotSeal(plain []byte, timestamp, nonce string) ([]byte, error) {
	enc, err := c.Encrypt(plain)
	if err != nil {
		return nil, err
	}
	return c.aibotEnvelope(enc, timestamp, nonce)
}

type aibotTextReply struct {
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
}

func aibotReplyPlain(streamID, content string) ([]byte, error) {
	var r aibotStreamReply
	r.MsgType = "stream"
	r.Stream.ID, r.Stream.Finish, r.Stream.Content = streamID, true, content
	return marshalJSON(r)
}

func (c *Crypto) aibotEnvelope(enc, timestamp, nonce string) ([]byte, error) {
	return marshalJSON(aibotEnvelope{
		Encrypt:      enc,
		MsgSignature: c.Signature(timestamp, nonce, enc),
		TimeStamp:    timestamp,
		Nonce:        nonce,
	})
}

// MarshalJSON is the JSON encoding of every payload qunbot sends WeCom (the
// long connection's frames included).
func MarshalJSON(v any) ([]byte, error) { return marshalJSON(v) }

// marshalJSON encodes without HTML escaping, so '<' and '&' in answers stay
// readable to anyone who inspects the plaintext.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("bot: encode json: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

type cdata struct {
	Value string `xml:",cdata"`
}

// appTextReply is the plaintext of a passive text reply (doc 90241).
type appTextReply struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   cdata
	FromUserName cdata
	CreateTime   int64
	MsgType      cdata
	Content      cdata
}

// appEnvelope is the encrypted XML passive reply.
type appEnvelope struct {
	XMLName      xml.Name `xml:"xml"`
	Encrypt      cdata
	MsgSignature cdata
	TimeStamp    string
	Nonce        cdata
}

// AppReply builds the encrypted passive text reply to an app message: toUser
// is the member's userid, fromUser the corp id.
func (c *Crypto) AppReply(toUser, fromUser, content, timestamp, nonce string, at time.Time) ([]byte, error) {
	plain, err := xml.Marshal(appTextReply{
		ToUserName:   cdata{toUser},
		FromUserName: cdata{fromUser},
		CreateTime:   at.Unix(),
		MsgType:      cdata{"text"},
		Content:      cdata{content},
	})
	if err != nil {
		return nil, fmt.Errorf("bot: app reply: %w", err)
	}
	enc, err := c.Encrypt(plain)
	if err != nil {
		return nil, err
	}
	body, err := xml.Marshal(appEnvelope{
		Encrypt:      cdata{enc},
		MsgSignature: cdata{c.Signature(timestamp, nonce, enc)},
		TimeStamp:    timestamp,
		Nonce:        cdata{nonce},
	})
	if err != nil {
		return nil, fmt.Errorf("bot: app reply envelope: %w", err)
	}
	return body, nil
}

// ParseAIBotReply opens an encrypted 智能机器人 passive reply, checking its
// signature, and returns the decrypted plaintext JSON. Used by test senders.
func (c *Crypto) ParseAIBotReply(body []byte) ([]byte, error) {
	var env aibotEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("%w: aibot reply: %v", ErrMalformed, err)
	}
	return c.Open(env.MsgSignature, env.TimeStamp, env.Nonce, env.Encrypt)
}

// ParseAppReply opens an encrypted XML passive reply, checking its signature,
// and returns the decrypted plaintext XML. Used by test senders.
func (c *Crypto) ParseAppReply(body []byte) ([]byte, error) {
	var env appEnvelope
	if err := xml.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("%w: app reply: %v", ErrMalformed, err)
	}
	return c.Open(env.MsgSignature.Value, env.TimeStamp, env.Nonce.Value, env.Encrypt.Value)
}
