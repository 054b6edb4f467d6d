// Package handlers is qunbot's HTTP surface: the two WeCom callbacks, health,
// metrics, the admin API and the dashboard. It is the only package that
// imports gin. A callback is verified, decrypted and parsed with package bot,
// decided by the Decider (rules.Engine), and answered with the encrypted
// passive reply.
package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/semaphore"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/rules"
)

// Decider decides what an event means and records its effects exactly once.
type Decider = bot.Decider

// ReplyCache keeps each event's passive reply, so a redelivery is answered
// the same way without deciding again.
type ReplyCache = bot.ReplyCache

// Check is one dependency /readyz asks, such as "database" or "redis".
type Check struct {
	Name string
	Ping func(ctx context.Context) error
}

// AdminReader is what the admin API reads. Member returns an error wrapping
// rules.ErrNotFound for an unknown member.
type AdminReader interface {
	Groups(ctx context.Context) ([]rules.GroupView, error)
	Member(ctx context.Context, chatID, userID string) (rules.MemberView, error)
	Modlog(ctx context.Context, chatID string, limit int) ([]rules.ModEntry, error)
}

// LateAnswerer sends a reply that missed the callback's answer through the
// message's response_url (once, within its hour). HoldLate records a
// message durably before its callback is answered undecided.
type LateAnswerer interface {
	HoldLate(ctx context.Context, ev bot.Event) error
	AnswerLate(ctx context.Context, ev bot.Event, reply string) error
}

// Deps is everything the HTTP surface needs. Engine, AIBot, App and Replies
// are required for the callbacks; the rest have defaults.
type Deps struct {
	Engine     Decider
	AIBot, App *bot.Crypto
	Replies    ReplyCache
	Checks     []Check
	MaxSkew    time.Duration // callback timestamps further than this from Now are refused; 0 disables
	// BodyBudget bounds the bytes of callback bodies held at once (default
	// DefaultBodyBudget); past it a callback is answered 503 unread.
	BodyBudget int64
	Now        func() time.Time
	AdminToken string // "" disables the admin API (every call is 401)
	Admin      AdminReader
	Points     PointsReader // ledger and leaderboard routes
	Stats      StatsReader  // the stats route
	Members    MemberLister // the member list
	Orders     OrderReader
	Schedules  ScheduleReader
	Log        *slog.Logger
	Registry   *prometheus.Registry

	// Late answers a 智能机器人 message through its response_url when the
	// reply was not ready within ReplyBudget (INTERFACE.md section 7.1).
	Late        LateAnswerer
	ReplyBudget time.Duration // default 3s; WeCom gives up on a callback after about 5s
	// CallbackBudget bounds the decision of any other callback: past it the
	// callback is answered 503 and WeCom delivers it again. Default 4s.
	CallbackBudget time.Duration
	// AdminBudget bounds an admin API request: a store that does not answer
	// within it is a 503. Default 10s.
	AdminBudget time.Duration
	// Background counts the late decisions still running after their callback
	// was answered; the process waits for it before closing the stores.
	Background *sync.WaitGroup // default: a fresh one nobody waits for

	CorpID   string         // FromUserName of app passive replies
	Location *time.Location // zone of times in the admin API; default UTC
	Metrics  *Metrics       // when nil, New registers a fresh set on Registry
}

// New returns the router. Missing optional dependencies get defaults: the
// real clock, a discarding logger, a fresh registry (or the one Metrics
// was made on), UTC.
func New(d Deps) http.Handler {
	d = withDefaults(d)
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(accessLog(d.Log), recovery(d.Log))

	s := &server{Deps: d, bodies: semaphore.NewWeighted(d.BodyBudget), logins: newLoginThrottle(d.Now),
		answers: &bot.Answers{Decider: d.Engine, Replies: d.Replies, Log: d.Log, Retries: bot.DefaultRetries},
		runners: newRunners()}
	s.callbacks(r)
	s.health(r)
	r.GET("/metrics", gin.WrapH(promhttp.HandlerFor(d.Registry, promhttp.HandlerOpts{Registry: d.Registry})))

	api := r.Group("/api/v1", refuseQueryTokens, s.requireAdmin)
	s.groupRoutes(api)
	s.memberRoutes(api)
	s.modlogRoutes(api)
	s.pointsRoutes(api)
	s.statsRoutes(api)
	s.followRoutes(api)
	s.dashboardRoutes(r)
	r.NoRoute(apiOnly(refuseQueryTokens), apiOnly(s.requireAdmin), apiNotFound)
	return r
}

// isAPI reports whether path is under the admin API.
func isAPI(path string) bool { return path == "/api/v1" || strings.HasPrefix(path, "/api/v1/") }

// apiOnly runs h for admin API paths only, so an unknown API path passes the
// API's own checks (and tells a caller without the token nothing) while any
// other unknown path gets gin's plain 404.
func apiOnly(h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if isAPI(c.Request.URL.Path) {
			h(c)
		}
	}
}

// apiNotFound answers an unknown admin API path in JSON, as the API answers
// everything.
func apiNotFound(c *gin.Context) {
	if isAPI(c.Request.URL.Path) {
		abortJSON(c, http.StatusNotFound, "not found: no such admin API path")
	}
}

// server carries the dependencies to the route handlers.
type server struct {
	Deps
	bodies  *semaphore.Weighted // the body budget, in bytes
	logins  *loginThrottle      // wrong dashboard tokens, per client address
	answers *bot.Answers        // the reply cache and exactly-once logic the long connection shares
	runners *runners            // the goroutines decisions run on
	// answered are the messages with a response_url answered in time.
	answered answeredSet
}

func withDefaults(d Deps) Deps {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	switch {
	case d.Registry == nil && d.Metrics != nil:
		d.Registry = d.Metrics.reg
	case d.Registry == nil:
		d.Registry = prometheus.NewRegistry()
	}
	if d.Metrics == nil {
		d.Metrics = NewMetrics(d.Registry)
	}
	if d.Location == nil {
		d.Location = time.UTC
	}
	if d.Background == nil {
		d.Background = &sync.WaitGroup{}
	}
	if d.CallbackBudget <= 0 {
		d.CallbackBudget = 4 * time.Second
	}
	if d.AdminBudget <= 0 {
		d.AdminBudget = 10 * time.Second
	}
	if d.BodyBudget <= 0 {
		d.BodyBudget = DefaultBodyBudget
	}
	if d.ReplyBudget <= 0 {
		d.ReplyBudget = 3 * time.Second
	}
	return d
}
