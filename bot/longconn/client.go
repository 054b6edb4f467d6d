// Package longconn is the 智能机器人 long connection (WeCom doc 101463): qunbot
// dials out over WebSocket, subscribes with the bot's BotID and Secret, keeps
// the connection alive with pings, and receives the same callbacks as the
// webhook mode as JSON frames. Callbacks become the same bot.Event as webhook
// callbacks (Channel bot.ChannelAIBotWS) and are answered through the same
// bot.Answers; answers go back on the callback's req_id.
//
// Only one connection per bot may be subscribed: a second subscribe kicks the
// first with disconnected_event. With several replicas, a Lease (in Redis)
// says which one connects; a replica that cannot renew its lease closes its
// socket before the lease can expire, so replicas never kick each other.
//
// The public Go SDKs arm their heartbeat timer once and never again; here
// the heartbeat is a loop that pings every interval for the life of the
// connection and declares the peer dead after two unanswered pings.
package longconn

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// DefaultURL is WeCom's long-connection endpoint.
const DefaultURL = "wss://openws.work.weixin.qq.com"

// Lease makes one replica the holder of the connection. Acquire and Renew
// hold it for ttl; Renew reports false when another replica holds it.
type Lease interface {
	Acquire(ctx context.Context, ttl time.Duration) (bool, error)
	Renew(ctx context.Context, ttl time.Duration) (bool, error)
	Release(ctx context.Context) error
}

// Limiter is WeCom's per-chat limit (30 a minute, 1000 an hour), shared by
// answers and proactive posts across replicas. TakeChat reserves one send to
// chat (a chatid or, for a 1:1 chat, a userid) or says how long to wait.
type Limiter interface {
	TakeChat(ctx context.Context, chat string) (wait time.Duration, err error)
}

// LateAnswerer is the engine's way of answering a message later
// (rules.Engine). HoldLate durably records a message whose decision failed,
// for the engine to finish if it is never answered; AnswerLate posts an
// answer whose req_id died with its connection with aibot_send_msg instead,
// and releases a held message ("" only releases it).
type LateAnswerer interface {
	HoldLate(ctx context.Context, ev bot.Event) error
	AnswerLate(ctx context.Context, ev bot.Event, reply string) error
}

// Options configure a Client. BotID, Secret and Answers are required.
type Options struct {
	URL     string // default DefaultURL
	BotID   string
	Secret  string
	Ping    time.Duration // heartbeat interval; default 30s
	Answers *bot.Answers
	Late    LateAnswerer // nil: nothing is held, an answer whose req_id died is dropped (and logged)
	Limit   Limiter      // nil: no shared limit
	Lease   Lease        // nil: this process is the only one (always the holder)
	Log     *slog.Logger
	Now     func() time.Time // event times when a frame has none; default time.Now
	// After waits for the heartbeat and the reconnect back-off; tests inject
	// their own to drive them step by step. Default time.After.
	After func(d time.Duration) <-chan time.Time
	// Jitter returns a random extra wait in [0, d) for a back-off of d;
	// default math/rand. Tests return 0.
	Jitter     func(d time.Duration) time.Duration
	AckTimeout time.Duration // how long a request waits for its ack; default 5s
	// LeaseTTL is how long a lease lasts unrenewed (default 10s); it is renewed
	// every LeaseRenew (default 3s), a standby replica tries every LeaseRetry
	// (default 2s), and the holder closes its socket LeaseMargin (default 2s)
	// before a lease it could not renew can expire. A dead holder is replaced
	// within LeaseTTL + LeaseRetry.
	LeaseTTL, LeaseRenew, LeaseRetry, LeaseMargin time.Duration
	// Observe counts a handled callback by outcome (ok, duplicate, error,
	// unsupported, malformed) and how long it took; nil counts nothing.
	Observe func(outcome string, seconds float64)
}

// State is where a Client is.
type State int

const (
	StateStandby    State = iota // not holding the lease (another replica connects), or not started
	StateConnecting              // holding the lease, dialing or subscribing
	StateSubscribed              // connected and subscribed: callbacks arrive, sends work
	StateTakenOver               // disconnected_event: another connection took the bot; no reconnect
)

func (s State) String() string {
	return [...]string{"standby", "connecting", "subscribed", "taken_over"}[s]
}

// Client is the long connection of one bot. Run it once; it is safe for
// concurrent use.
type Client struct {
	o   Options
	log *slog.Logger

	mu    sync.Mutex
	state State
	cur   *session // the subscribed session, or nil
	base  context.Context

	inflight sync.WaitGroup // callbacks being decided and answered
}

// New fills the defaults of o.
func New(o Options) *Client {
	if o.URL == "" {
		o.URL = DefaultURL
	}
	if o.Ping <= 0 {
		o.Ping = 30 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.After == nil {
		o.After = time.After
	}
	if o.Jitter == nil {
		o.Jitter = randomJitter
	}
	if o.AckTimeout <= 0 {
		o.AckTimeout = 5 * time.Second
	}
	o.LeaseTTL = orDefault(o.LeaseTTL, 10*time.Second)
	o.LeaseRenew = orDefault(o.LeaseRenew, 3*time.Second)
	o.LeaseRetry = orDefault(o.LeaseRetry, 2*time.Second)
	o.LeaseMargin = orDefault(o.LeaseMargin, 2*time.Second)
	if o.Observe == nil {
		o.Observe = func(string, float64) {}
	}
	return &Client{o: o, log: o.Log, base: context.Background()}
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// State says where the client is now.
func (c *Client) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

func (c *Client) setState(s State) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.state = s
}

// Delivers reports whether this replica settles long-connection sends now:
// it is subscribed, or it was taken over (then sends fall back at once).
func (c *Client) Delivers() bool {
	s := c.State()
	return s == StateSubscribed || s == StateTakenOver
}

// Check is nil unless the connection was taken over, for /readyz.
func (c *Client) Check(context.Context) error {
	if c.State() == StateTakenOver {
		return errors.New("another connection took over the 智能机器人 (disconnected_event); not reconnecting until restarted")
	}
	return nil
}

// Wait blocks until every callback received so far is answered.
func (c *Client) Wait() { c.inflight.Wait() }

func (c *Client) current() *session {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cur
}

func (c *Client) setCurrent(s *session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cur, c.state = s, StateSubscribed
}

// clearCurrent forgets s if it is still the current session.
func (c *Client) clearCurrent(s *session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur == s {
		c.cur = nil
	}
}
