package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/qunbot/qunbot/bot"
)

const (
	endpointAIBot = "aibot"
	endpointApp   = "app"

	// maxBody bounds a callback body; WeCom's are a few KiB.
	maxBody = 1 << 20
)

// endpointAIBotWS is the long connection: counted here, served by package bot/longconn.
const endpointAIBotWS = "aibot_ws"

// channel is one WeCom callback endpoint: its crypto, wire format and reply.
type channel struct {
	name        string
	crypto      *bot.Crypto
	envelope    func(body []byte) (encrypt []byte, err error) // a slice of body, not a copy
	parse       func(plain []byte) (bot.Event, error)
	reply       func(ev bot.Event, text, timestamp, nonce string) ([]byte, error)
	contentType string
}

// answer is how a callback is answered and counted.
type answer struct {
	status      int
	outcome     string
	body        []byte
	contentType string
}

func reject(status int, outcome string) answer {
	return answer{status: status, outcome: outcome, body: []byte(http.StatusText(status)),
		contentType: "text/plain; charset=utf-8"}
}

// callbacks registers GET (URL verification) and POST for every configured channel.
func (s *server) callbacks(r gin.IRouter) {
	for _, ch := range []*channel{s.aibotChannel(), s.appChannel()} {
		if ch.crypto == nil {
			continue
		}
		r.GET("/wecom/"+ch.name, s.counted(ch, s.verifyURL))
		r.POST("/wecom/"+ch.name, s.counted(ch, s.receive))
	}
}

// counted runs one callback step and records its outcome and duration. A
// panic is counted as an error before recovery answers 500.
func (s *server) counted(ch *channel, step func(c *gin.Context, ch *channel) answer) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		outcome := outcomeError
		defer func() { s.Metrics.observe(ch.name, outcome, time.Since(start).Seconds()) }()
		a := step(c, ch)
		outcome = a.outcome
		if len(a.body) == 0 {
			c.Status(a.status)
			return
		}
		c.Data(a.status, a.contentType, a.body)
	}
}

// query is the signed part of a callback URL.
type query struct {
	signature, timestamp, nonce string
}

func readQuery(c *gin.Context) query {
	return query{c.Query("msg_signature"), c.Query("timestamp"), c.Query("nonce")}
}

// authenticate checks the signature over data, then the timestamp's freshness.
// Both failures are 401: WeCom's own deliveries never fail either.
func (s *server) authenticate(ch *channel, q query, data []byte) (answer, bool) {
	if reason := badSignature(ch, q, data); reason != "" {
		return s.refuseSignature(ch, reason), false
	}
	if err := s.fresh(q.timestamp); err != nil {
		s.Log.Info("callback refused", "endpoint", ch.name, "err", err)
		return reject(http.StatusUnauthorized, outcomeStale), false
	}
	return answer{}, true
}

// refuseSignature answers 401 and logs which check failed, so an operator
// can fix a Token that differs from the console's; never the Token nor
// either signature, which would let a reader of the log guess the Token.
func (s *server) refuseSignature(ch *channel, reason string) answer {
	s.Log.Warn("callback refused: bad signature", "endpoint", ch.name, "reason", reason)
	return reject(http.StatusUnauthorized, outcomeBadSignature)
}

// tokenSettings name the setting that holds each endpoint's callback Token.
var tokenSettings = map[string]string{endpointAIBot: "QUNBOT_AIBOT_TOKEN", endpointApp: "QUNBOT_APP_TOKEN"}

// badSignature says which part of the signature check a callback failed,
// or "" when it passed.
func badSignature(ch *channel, q query, data []byte) string {
	switch {
	case q.signature == "":
		return "msg_signature is missing from the URL"
	case ch.crypto.VerifySignatureBytes(q.signature, q.timestamp, q.nonce, data):
		return ""
	case q.timestamp == "" || q.nonce == "":
		return "timestamp or nonce is missing from the URL, so msg_signature cannot match"
	case len(data) == 0:
		return "nothing was signed: the request carries no echostr or encrypted payload"
	}
	return "msg_signature does not match the one computed with " + tokenSettings[ch.name] +
		": the Token saved in the WeCom console differs from it, or the request was altered"
}

func (s *server) fresh(timestamp string) error {
	if s.MaxSkew <= 0 {
		return nil
	}
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("handlers: timestamp %q is not a number", timestamp)
	}
	skew := s.Now().Sub(time.Unix(sec, 0)).Abs()
	if skew > s.MaxSkew {
		return fmt.Errorf("handlers: timestamp is %s away from now, more than %s", skew.Round(time.Second), s.MaxSkew)
	}
	return nil
}

// decrypt opens the payload. Every failure (bad base64, padding, a wrong key
// or receiveid: bot.ErrDecrypt, bot.ErrReceiveID) is the sender's fault: 400.
func (s *server) decrypt(ch *channel, data []byte) ([]byte, answer, bool) {
	plain, err := ch.crypto.DecryptBytes(data)
	if err != nil {
		s.Log.Warn("callback undecryptable", "endpoint", ch.name, "err", err)
		return nil, reject(http.StatusBadRequest, outcomeUndecryptable), false
	}
	return plain, answer{}, true
}
