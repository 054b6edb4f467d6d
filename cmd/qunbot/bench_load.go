package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// msgKind is one kind of message in the bench mix.
type msgKind int

const (
	kindChat msgKind = iota
	kindCheckin
	kindPoints
	kindKeyword
	numKinds
)

var kindNames = [numKinds]string{"chat", "签到", "积分", "keyword"}

// chatLines are what members say when they just talk; none is a command,
// a keyword or a banned word.
var chatLines = []string{
	"今天的发布会几点开始？", "收到，谢谢大家", "这个方案我觉得可以再讨论一下", "明天上午我请假半天",
	"有人知道会议室怎么预约吗", "早上好！", "周报已经发到邮箱了", "这个问题我晚点回复你",
}

// loadSpec is one closed-loop run: Clients workers, each sending the next
// callback as soon as the last one was answered.
type loadSpec struct {
	URL      string      // the 智能机器人 callback URL (…/wecom/aibot)
	Crypto   *bot.Crypto // the 智能机器人 keys: encrypts requests, verifies replies
	Clients  int
	Members  int // member i speaks in group i % Groups
	Groups   int
	Requests int           // stop after this many measured requests; 0: after Duration
	Duration time.Duration // measured time, after Warmup
	Warmup   time.Duration // requests sent before measuring starts; not counted
	Mix      [numKinds]int // weights of the kinds
	Keyword  string        // the text of a keyword question
	Timeout  time.Duration // per request
	Tag      string        // makes member ids unique to one bench invocation
	Run      string        // makes msgids unique to this run
	// ResponseURL, when set, gives each message a response_url: the prefix
	// with the msgid appended as response_code, as wecomtest.API expects.
	ResponseURL string
	Now         func() time.Time // the clock of create_time and timestamp; default time.Now
}

// kindCount is what happened to the requests of one kind.
type kindCount struct {
	Sent, Replied, Failed int
}

// loadResult is what a run measured.
type loadResult struct {
	Requests  int
	Elapsed   time.Duration
	Latencies []time.Duration // sorted
	Errors    map[string]int  // by kind of error
	Kinds     [numKinds]kindCount
}

// worker is one client's state; merged into the result at the end.
type worker struct {
	spec   *loadSpec
	client *http.Client
	rng    *rand.Rand
	res    loadResult
}

// runLoad runs spec against its URL and returns what it measured. Only the
// context's end or a bad spec stops it early.
func runLoad(ctx context.Context, spec loadSpec) loadResult {
	if spec.Now == nil {
		spec.Now = time.Now
	}
	transport := &http.Transport{MaxIdleConns: spec.Clients, MaxIdleConnsPerHost: spec.Clients, DisableCompression: true}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: spec.Timeout}
	var seq, measured atomic.Int64
	start := time.Now()
	measureFrom := start.Add(spec.Warmup)
	stopAt := measureFrom.Add(spec.Duration)
	workers := make([]*worker, spec.Clients)
	var wg sync.WaitGroup
	for i := range workers {
		w := &worker{spec: &spec, client: client, rng: rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano()))),
			res: loadResult{Errors: map[string]int{}}}
		workers[i] = w
		wg.Go(func() {
			for ctx.Err() == nil {
				n := seq.Add(1)
				t := time.Now()
				counted := !t.Before(measureFrom)
				if counted && (spec.Requests > 0 && measured.Add(1) > int64(spec.Requests) ||
					spec.Requests == 0 && !t.Before(stopAt)) {
					return
				}
				w.one(ctx, n, counted)
			}
		})
	}
	wg.Wait()
	var r loadResult
	for _, w := range workers {
		r.add(w.res)
	}
	r.Elapsed = time.Since(measureFrom)
	return r.sorted()
}

// one sends callback number n and checks the answer; counted says whether
// it is measured or warm-up.
func (w *worker) one(ctx context.Context, n int64, counted bool) {
	kind := pickKind(n, w.spec.Mix)
	member := w.rng.IntN(w.spec.Members)
	req, err := w.request(ctx, n, kind, member)
	if err != nil {
		w.record(counted, kind, 0, "build: "+err.Error(), false)
		return
	}
	start := time.Now()
	resp, err := w.client.Do(req)
	if err != nil {
		w.record(counted, kind, time.Since(start), transportError(err), false)
		return
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if err != nil {
		w.record(counted, kind, took, transportError(err), false)
		return
	}
	if resp.StatusCode != http.StatusOK {
		w.record(counted, kind, took, "status "+strconv.Itoa(resp.StatusCode), false)
		return
	}
	if len(bytes.TrimSpace(body)) == 0 {
		w.record(counted, kind, took, "", false)
		return
	}
	w.record(counted, kind, took, checkReply(w.spec.Crypto, body), true)
}

func (w *worker) record(counted bool, kind msgKind, took time.Duration, failure string, replied bool) {
	if !counted {
		return
	}
	r := &w.res
	r.Requests++
	r.Kinds[kind].Sent++
	r.Latencies = append(r.Latencies, took)
	switch {
	case failure != "":
		r.Kinds[kind].Failed++
		r.Errors[failure]++
	case replied:
		r.Kinds[kind].Replied++
	}
}

// pickKind spreads the kinds evenly over the sequence: of every 100
// consecutive requests, mix[k] (as a share of the weights) are of kind k.
func pickKind(n int64, mix [numKinds]int) msgKind {
	total := 0
	for _, m := range mix {
		total += m
	}
	// 37 is prime to 100, so consecutive requests visit the slots out of order.
	slot := int((n*37)%100) * total / 100
	for k, m := range mix {
		if slot < m {
			return msgKind(k)
		}
		slot -= m
	}
	return kindChat
}

// request builds callback n as WeCom would: the plaintext JSON, encrypted,
// in the JSON envelope, signed in the query.
func (w *worker) request(ctx context.Context, n int64, kind msgKind, member int) (*http.Request, error) {
	s := w.spec
	msgID := "bench-" + s.Run + "-" + strconv.FormatInt(n, 10)
	text := chatLines[w.rng.IntN(len(chatLines))]
	switch kind {
	case kindCheckin:
		text = "签到"
	case kindPoints:
		text = "积分"
	case kindKeyword:
		text = s.Keyword
	}
	m := benchMessage{MsgID: msgID, AIBotID: "qunbot-aibot", ChatID: benchGroup(member % s.Groups), ChatType: "group",
		CreateTime: s.Now().Unix(), MsgType: "text"}
	m.From.UserID = benchMember(s.Tag, member)
	m.Text.Content = "@qunbot " + text
	if s.ResponseURL != "" {
		m.ResponseURL = s.ResponseURL + url.QueryEscape(msgID)
	}
	plain, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	enc, err := s.Crypto.Encrypt(plain)
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(s.Now().Unix(), 10)
	nonce := strconv.FormatInt(1_000_000_000+n%9_000_000_000, 10)
	q := "?msg_signature=" + s.Crypto.Signature(ts, nonce, enc) + "&timestamp=" + ts + "&nonce=" + nonce
	body := append(append([]byte(`{"encrypt":"`), enc...), `"}`...)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+q, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

// benchMessage is a 智能机器人 group text message (PROTOCOL §2c).
type benchMessage struct {
	MsgID    string `json:"msgid"`
	AIBotID  string `json:"aibotid"`
	ChatID   string `json:"chatid"`
	ChatType string `json:"chattype"`
	From     struct {
		UserID string `json:"userid"`
	} `json:"from"`
	CreateTime  int64  `json:"create_time"`
	ResponseURL string `json:"response_url,omitempty"`
	MsgType     string `json:"msgtype"`
	Text        struct {
		Content string `json:"content"`
	} `json:"text"`
}

func benchGroup(i int) string { return "bench-g" + strconv.Itoa(i+1) }

func benchMember(tag string, i int) string { return "bench-" + tag + "-u" + strconv.Itoa(i+1) }

// checkReply opens a passive reply: its signature must verify, it must
// decrypt, and it must be a finished stream with content. "" when it is.
func checkReply(c *bot.Crypto, body []byte) string {
	plain, err := c.ParseAIBotReply(body)
	switch {
	case errors.Is(err, bot.ErrSignature):
		return "reply: bad signature"
	case errors.Is(err, bot.ErrMalformed):
		return "reply: not a JSON envelope"
	case err != nil:
		return "reply: undecryptable"
	}
	var m struct {
		MsgType string `json:"msgtype"`
		Stream  struct {
			Finish  bool   `json:"finish"`
			Content string `json:"content"`
		} `json:"stream"`
	}
	if json.Unmarshal(plain, &m) != nil || m.MsgType != "stream" || !m.Stream.Finish || m.Stream.Content == "" {
		return "reply: not a finished stream"
	}
	return ""
}

// transportError names a failed exchange by its cause, so errors group.
func transportError(err error) string {
	var ne interface{ Timeout() bool }
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "connection closed"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return "transport: " + err.Error()
}
