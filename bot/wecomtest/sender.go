package wecomtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// Keys are one callback's Token, EncodingAESKey and receiveid ("" for the
// 智能机器人, the corp id for the app).
type Keys struct {
	Token, AESKey, ReceiveID string
}

// Reply is the bot's answer to one callback.
type Reply struct {
	Status int
	Body   []byte
	// Text is the decrypted reply: the stream content (智能机器人), the
	// Content of the reply XML (app), or the bare plaintext of a URL
	// verification. "" for an empty 200 or a non-200 answer.
	Text string
}

// Sender posts encrypted callbacks to a qunbot at Base, exactly as WeCom
// would, and opens the encrypted replies, failing if their signature is wrong.
type Sender struct {
	Base  string
	HTTP  *http.Client
	AIBot Keys
	App   Keys
	Now   func() time.Time
	// ResponseURL, when set, is the prefix of each 智能机器人 message's
	// response_url; the message id is appended as response_code. With
	// API.ResponseURL("") it points at the fake.
	ResponseURL string
}

const (
	aibotPath = "/wecom/aibot"
	appPath   = "/wecom/app"
)

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) client() *http.Client {
	if s.HTTP != nil {
		return s.HTTP
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// Post sends body to Base+path with query as is, for raw and bad-input tests.
func (s *Sender) Post(ctx context.Context, path string, body []byte, query url.Values) (*http.Response, []byte, error) {
	return s.send(ctx, http.MethodPost, path, body, query)
}

func (s *Sender) send(ctx context.Context, method, path string, body []byte, query url.Values) (*http.Response, []byte, error) {
	u := strings.TrimRight(s.Base, "/") + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("wecomtest: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType(path))
	}
	resp, err := s.client().Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("wecomtest: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp, nil, fmt.Errorf("wecomtest: read answer: %w", err)
	}
	return resp, b, nil
}

func contentType(path string) string {
	if strings.Contains(path, "aibot") {
		return "application/json"
	}
	return "text/xml"
}

func (s *Sender) keys(path string) Keys {
	if strings.Contains(path, "aibot") {
		return s.AIBot
	}
	return s.App
}

// signedQuery signs data as WeCom does, with the sender's clock and a random nonce.
func (s *Sender) signedQuery(c *bot.Crypto, data string) url.Values {
	ts := strconv.FormatInt(s.now().Unix(), 10)
	n, _ := rand.Int(rand.Reader, big.NewInt(1e10))
	nonce := n.String()
	return url.Values{"msg_signature": {c.Signature(ts, nonce, data)}, "timestamp": {ts}, "nonce": {nonce}}
}

// seal encrypts plain under k, as WeCom does before posting.
func seal(k Keys, plain []byte) (*bot.Crypto, string, error) {
	c, err := bot.NewCrypto(k.Token, k.AESKey, k.ReceiveID)
	if err != nil {
		return nil, "", fmt.Errorf("wecomtest: %w", err)
	}
	enc, err := c.Encrypt(plain)
	if err != nil {
		return nil, "", err
	}
	return c, enc, nil
}

// VerifyURL performs the GET handshake on path (/wecom/aibot or /wecom/app).
func (s *Sender) VerifyURL(ctx context.Context, path, echo string) (Reply, error) {
	c, echostr, err := seal(s.keys(path), []byte(echo))
	if err != nil {
		return Reply{}, err
	}
	q := s.signedQuery(c, echostr)
	q.Set("echostr", echostr)
	resp, body, err := s.send(ctx, http.MethodGet, path, nil, q)
	if err != nil {
		return Reply{}, err
	}
	r := Reply{Status: resp.StatusCode, Body: body}
	if r.Status == http.StatusOK {
		r.Text = string(body)
	}
	return r, nil
}

// AIBotJSON encrypts any 智能机器人 plaintext and posts it.
func (s *Sender) AIBotJSON(ctx context.Context, plain []byte) (Reply, error) {
	c, enc, err := seal(s.AIBot, plain)
	if err != nil {
		return Reply{}, err
	}
	body, _ := json.Marshal(map[string]string{"encrypt": enc})
	resp, ans, err := s.Post(ctx, aibotPath, body, s.signedQuery(c, enc))
	if err != nil {
		return Reply{}, err
	}
	r := Reply{Status: resp.StatusCode, Body: ans}
	if r.Status != http.StatusOK || len(bytes.TrimSpace(ans)) == 0 {
		return r, nil
	}
	text, err := aibotReplyText(c, ans)
	r.Text = text
	return r, err
}

// aibotReplyText opens a passive reply: stream content, or the text of a
// welcome reply.
func aibotReplyText(c *bot.Crypto, body []byte) (string, error) {
	plain, err := c.ParseAIBotReply(body)
	if err != nil {
		return "", fmt.Errorf("wecomtest: aibot reply: %w", err)
	}
	var m struct {
		MsgType string `json:"msgtype"`
		Stream  struct {
			Content string `json:"content"`
		} `json:"stream"`
		Text struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	if err := json.Unmarshal(plain, &m); err != nil {
		return "", fmt.Errorf("wecomtest: aibot reply plaintext %s: %w", plain, err)
	}
	if m.MsgType == "text" {
		return m.Text.Content, nil
	}
	return m.Stream.Content, nil
}

// AppXML encrypts any app plaintext XML and posts it in WeCom's envelope.
func (s *Sender) AppXML(ctx context.Context, plain []byte) (Reply, error) {
	c, enc, err := seal(s.App, plain)
	if err != nil {
		return Reply{}, err
	}
	body := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><Encrypt><![CDATA[%s]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>", s.App.ReceiveID, enc)
	resp, ans, err := s.Post(ctx, appPath, []byte(body), s.signedQuery(c, enc))
	if err != nil {
		return Reply{}, err
	}
	r := Reply{Status: resp.StatusCode, Body: ans}
	if r.Status != http.StatusOK || len(bytes.TrimSpace(ans)) == 0 {
		return r, nil
	}
	plainReply, err := c.ParseAppReply(ans)
	if err != nil {
		return r, fmt.Errorf("wecomtest: app reply: %w", err)
	}
	var m struct {
		Content string
	}
	if err := xml.Unmarshal(plainReply, &m); err != nil {
		return r, fmt.Errorf("wecomtest: app reply plaintext %s: %w", plainReply, err)
	}
	r.Text = m.Content
	return r, nil
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("wecomtest: %w", err)
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}
