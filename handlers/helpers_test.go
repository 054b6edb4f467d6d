package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/rules"
)

const (
	aibotToken = "aibotToken123"
	aibotKey   = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	appToken   = "appToken456"
	appKey     = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"
	corpID     = "ww1436e0e65a779aee"
)

// now is the fixed clock of the tests.
var now = time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)

func mustCrypto(t *testing.T, token, key, receiveID string) *bot.Crypto {
	t.Helper()
	c, err := bot.NewCrypto(token, key, receiveID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fakeDecider records the events it is asked about.
type fakeDecider struct {
	mu      sync.Mutex
	events  []bot.Event
	actions []bot.Action
	err     error
	panics  bool
}

func (f *fakeDecider) Handle(_ context.Context, ev bot.Event) ([]bot.Action, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, ev)
	if f.panics {
		panic("decider exploded")
	}
	return f.actions, f.err
}

func (f *fakeDecider) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.events)
}

// memCache is an in-memory ReplyCache.
type memCache struct {
	mu     sync.Mutex
	m      map[string]string
	getErr error
}

func (c *memCache) CachedReply(_ context.Context, id string) (string, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.getErr != nil {
		return "", false, c.getErr
	}
	r, ok := c.m[id]
	return r, ok, nil
}

func (c *memCache) CacheReply(_ context.Context, id, reply string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]string{}
	}
	c.m[id] = reply
	return nil
}

// fixture is a running server with fakes behind it.
type fixture struct {
	srv     *httptest.Server
	decider *fakeDecider
	cache   *memCache
	reg     *prometheus.Registry
	aibot   *bot.Crypto
	app     *bot.Crypto
	logs    *bytes.Buffer
}

// newFixture starts a server; edit lets a test change Deps first.
func newFixture(t *testing.T, edit func(*Deps)) *fixture {
	t.Helper()
	f := &fixture{decider: &fakeDecider{}, cache: &memCache{}, reg: prometheus.NewRegistry(),
		aibot: mustCrypto(t, aibotToken, aibotKey, ""), app: mustCrypto(t, appToken, appKey, corpID),
		logs: &bytes.Buffer{}}
	d := Deps{
		Engine: f.decider, AIBot: f.aibot, App: f.app, Replies: f.cache, MaxSkew: 10 * time.Minute,
		Now: func() time.Time { return now }, Log: slog.New(slog.NewJSONHandler(&lockedWriter{w: f.logs}, nil)),
		Registry: f.reg, CorpID: corpID,
	}
	if edit != nil {
		edit(&d)
	}
	f.srv = httptest.NewServer(New(d))
	t.Cleanup(f.srv.Close)
	return f
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

type response struct {
	status int
	body   string
	header http.Header
}

func (f *fixture) do(t *testing.T, method, path string, body []byte, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, string(b), res.Header}
}

// signedQuery is the query WeCom sends for data signed by c at ts.
func signedQuery(c *bot.Crypto, ts time.Time, data string) url.Values {
	stamp, nonce := strconv.FormatInt(ts.Unix(), 10), "1372623149"
	return url.Values{"msg_signature": {c.Signature(stamp, nonce, data)}, "timestamp": {stamp}, "nonce": {nonce}}
}

// delivery is one encrypted POST as WeCom would send it.
type delivery struct {
	path  string
	query url.Values
	body  []byte
}

func (f *fixture) post(t *testing.T, d delivery) response {
	t.Helper()
	return f.do(t, http.MethodPost, d.path+"?"+d.query.Encode(), d.body)
}

func mustEncrypt(t *testing.T, c *bot.Crypto, plain string) string {
	t.Helper()
	enc, err := c.Encrypt([]byte(plain))
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

// aibotDelivery encrypts a 智能机器人 JSON message.
func aibotDelivery(t *testing.T, c *bot.Crypto, plain string, at time.Time) delivery {
	t.Helper()
	enc := mustEncrypt(t, c, plain)
	body, _ := json.Marshal(map[string]string{"encrypt": enc})
	return delivery{"/wecom/aibot", signedQuery(c, at, enc), body}
}

// appDelivery encrypts an app XML message.
func appDelivery(t *testing.T, c *bot.Crypto, plain string, at time.Time) delivery {
	t.Helper()
	enc := mustEncrypt(t, c, plain)
	body := "<xml><ToUserName><![CDATA[" + corpID + "]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID>" +
		"<Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>"
	return delivery{"/wecom/app", signedQuery(c, at, enc), []byte(body)}
}

const (
	aibotText = `{"msgid":"m1","aibotid":"b1","chatid":"G1","chattype":"group","from":{"userid":"alice"},` +
		`"response_url":"https://example.invalid/r","msgtype":"text","text":{"content":"@qunbot 签到"}}`
	appText = `<xml><ToUserName><![CDATA[` + corpID + `]]></ToUserName><FromUserName><![CDATA[bob]]></FromUserName>` +
		`<CreateTime>1795000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[/in G1 /points]]></Content>` +
		`<MsgId>7000000000000000001</MsgId><AgentID>1000002</AgentID></xml>`
)

// fakeAdmin serves canned admin data.
type fakeAdmin struct {
	groups  []rules.GroupView
	members map[string]rules.MemberView // by chatid + "/" + userid
	modlog  []rules.ModEntry
	limit   int
	err     error
}

func (a *fakeAdmin) Groups(context.Context) ([]rules.GroupView, error) { return a.groups, a.err }

func (a *fakeAdmin) Member(_ context.Context, chatID, userID string) (rules.MemberView, error) {
	m, ok := a.members[chatID+"/"+userID]
	if !ok {
		return m, errors.Join(errors.New("store: member"), rules.ErrNotFound)
	}
	return m, a.err
}

func (a *fakeAdmin) Modlog(_ context.Context, _ string, limit int) ([]rules.ModEntry, error) {
	a.limit = limit
	return a.modlog, a.err
}
