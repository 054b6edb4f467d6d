package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/archive"
	"github.com/qunbot/qunbot/bot/longconn"
	"github.com/qunbot/qunbot/config"
	"github.com/qunbot/qunbot/handlers"
	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

// app is one wired qunbot process: stores, engine, WeCom client, outbox
// worker, scheduler and HTTP handler. serve, sim and the end-to-end tests
// build it the same way.
type app struct {
	cfg     *config.Config
	log     *slog.Logger
	now     func() time.Time
	store   *store.Store
	engine  *rules.Engine
	client  *bot.Client
	worker  *store.Worker
	handler http.Handler
	manual  bool
	late    sync.WaitGroup // late 智能机器人 decisions still running

	longconn *longconn.Client // the 智能机器人 long connection; nil in webhook mode
	puller   *archive.Puller  // the message archive; nil unless full-traffic mode
	closers  []func()         // released after the stores (the vendor SDK)
}

// appOptions are what tests and sim change about an app.
type appOptions struct {
	now        func() time.Time // the clock; time.Now when nil
	workerPoll time.Duration
	// manual leaves the outbox worker and the scheduler to the caller (sim
	// and tests drive them step by step so transcripts read in order).
	manual      bool
	replyBudget time.Duration // how long a 智能机器人 callback waits for its reply
	// callbackBudget bounds any other callback's decision (then 503), and
	// an admin API request.
	callbackBudget time.Duration
	keyPrefix      string // before every Redis key (tests sharing one Redis)

	lease leaseTiming // the long connection's lease (tests shorten it)
	// longConnHandled hears of every callback the long connection answered
	// (sim waits for it so transcripts read in order).
	longConnHandled func(outcome string)

	// archive is the message archive to pull from instead of the SDK (sim
	// and tests); archiveBatch and archiveLanes size the puller's work.
	archive                    archive.Source
	archiveBatch, archiveLanes int
}

func newApp(ctx context.Context, cfg *config.Config, log *slog.Logger, o appOptions) (*app, error) {
	if o.now == nil {
		o.now = time.Now
	}
	st, err := store.Open(ctx, store.Options{
		MySQLDSN: cfg.MySQLDSN, RedisURL: cfg.RedisURL, DataDir: cfg.DataDir, KeyPrefix: o.keyPrefix, Now: o.now, Log: log,
	})
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log, now: o.now, store: st, manual: o.manual}
	if err := a.wire(o); err != nil {
		st.Close()
		return nil, err
	}
	return a, nil
}

func (a *app) wire(o appOptions) error {
	cfg := a.cfg
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := handlers.NewMetrics(reg)
	var prints rules.Prints // the match of @-callbacks and archive copies, in full-traffic mode only
	if cfg.FullTraffic() {
		prints = a.store
	}
	engine, err := rules.New(rules.Deps{
		Store: a.store, Counters: a.store, Defaults: cfg.Defaults, Groups: cfg.Groups, Admins: cfg.Admins,
		Location: cfg.Timezone, Now: a.now, APIEnabled: cfg.APIEnabled(), Log: a.log, Hit: metrics.RuleHit,
		Hot: a.store, LongConn: cfg.LongConn(), FullTraffic: cfg.FullTraffic(), Prints: prints,
	})
	if err != nil {
		var se *rules.SettingsError
		if errors.As(err, &se) { // loadConfig reports these first; a caller that skipped it hears them here
			lines := make([]string, len(se.Bad))
			for i, p := range se.Bad {
				lines[i] = p.String()
			}
			return configProblems(lines)
		}
		return fmt.Errorf("settings: %w", err)
	}
	a.engine = engine
	if a.puller, err = a.newPuller(o, reg); err != nil {
		return err
	}
	a.client = bot.NewClient(bot.ClientConfig{
		APIBase: cfg.WeCom.APIBase, CorpID: cfg.WeCom.CorpID, AgentID: cfg.WeCom.App.AgentID,
		Secret: cfg.WeCom.App.Secret, Tokens: a.store.TokenCache(),
	})
	checks := []handlers.Check{
		{Name: "database", Ping: handlers.Unreachable(a.store.PingDB)},
		{Name: "redis", Ping: handlers.Unreachable(a.store.PingRedis)},
	}
	if cfg.LongConn() {
		a.longconn = a.newLongConn(metrics, o)
		checks = append(checks, handlers.Check{Name: "aibot long connection", Ping: a.longconn.Check})
	}
	sender := routedSender{api: a.client, conn: a.longconn, fallback: a.engine.AIBotFallback, refused: metrics.WeComAPIError}
	a.worker = a.store.NewWorker(store.WorkerOptions{
		Sender: meteredSender{sender, metrics}, Now: a.now, Poll: o.workerPoll, Log: a.log, LongConn: a.deliversLongConn,
		OnGroupSnapshot: func(ctx context.Context, ev bot.Event) error { _, err := a.engine.Handle(ctx, ev); return err },
	})
	var aibot *bot.Crypto // nil in long-connection mode: webhook and long connection are exclusive per bot
	if !cfg.LongConn() {
		if aibot, err = bot.NewCrypto(cfg.WeCom.AIBot.Token, cfg.WeCom.AIBot.AESKey, ""); err != nil {
			return fmt.Errorf("智能机器人 callback keys: %w", err)
		}
	}
	appCrypto, err := bot.NewCrypto(cfg.WeCom.App.Token, cfg.WeCom.App.AESKey, cfg.WeCom.CorpID)
	if err != nil {
		return fmt.Errorf("app callback keys: %w", err)
	}
	if err := metrics.WatchOutboxDepth(a.outboxDepth); err != nil {
		return err
	}
	a.handler = handlers.New(handlers.Deps{
		Engine: notifyDecider{a.engine, a.puller}, AIBot: aibot, App: appCrypto,
		CorpID: cfg.WeCom.CorpID, Location: cfg.Timezone, Metrics: metrics, Late: a.engine, ReplyBudget: o.replyBudget, CallbackBudget: o.callbackBudget, AdminBudget: o.callbackBudget,
		Background: &a.late, Checks: checks,
		MaxSkew: cfg.CallbackMaxSkew, Now: a.now, AdminToken: cfg.AdminToken, Admin: a.engine, Points: a.engine,
		Stats: a.engine, Members: a.engine, Orders: a.engine, Schedules: a.engine, Log: a.log,
	})
	return nil
}

// run serves on ln and runs the background loops until ctx ends, then shuts
// down in order: HTTP first (no new work), then the worker and scheduler
// (finish what they hold), then the stores.
func (a *app) run(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: a.handler, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	bgCtx, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	loops := []func(context.Context){a.followSettings}
	if a.longconn != nil {
		loops = append(loops, a.runLongConn)
	}
	if !a.manual {
		loops = append(loops, a.runWorker, a.runScheduler)
		if a.puller != nil {
			loops = append(loops, a.runArchive)
		}
	}
	bgDone := make(chan struct{}, len(loops))
	for _, loop := range loops {
		go func() { loop(bgCtx); bgDone <- struct{}{} }()
	}

	var err error
	select {
	case <-ctx.Done():
	case err = <-serveErr:
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if shutErr := srv.Shutdown(shutdownCtx); shutErr != nil {
		a.log.Warn("http shutdown", "err", shutErr)
	}
	a.waitLate(shutdownCtx)
	stopBG()
	for range loops {
		<-bgDone
	}
	a.close()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// waitLate lets late decisions (their callbacks already answered) finish
// before the stores close, until ctx ends.
func (a *app) waitLate(ctx context.Context) {
	done := make(chan struct{})
	go func() { a.late.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		a.log.Warn("late decisions still running at shutdown")
	}
}

func (a *app) runWorker(ctx context.Context) {
	if err := a.worker.Run(ctx); err != nil && ctx.Err() == nil {
		a.log.Error("outbox worker stopped", "err", err)
	}
}

// followSettings reloads a group's settings when another replica changes them.
func (a *app) followSettings(ctx context.Context) {
	a.store.SubscribeSettings(ctx, a.engine.InvalidateSettings)
}

// outboxDepth is the number of actions waiting for delivery, for /metrics.
func (a *app) outboxDepth() float64 {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	pending, _, err := a.store.OutboxDepth(ctx)
	if err != nil {
		return -1
	}
	return float64(pending)
}

// meteredSender counts WeCom API errors by API and errcode.
type meteredSender struct {
	next    store.Sender
	metrics *handlers.Metrics
}

func (m meteredSender) Deliver(ctx context.Context, a bot.Action) (bot.Result, error) {
	res, err := m.next.Deliver(ctx, a)
	var apiErr *bot.APIError
	switch {
	case errors.As(err, &apiErr):
		m.metrics.WeComAPIError(apiErr.API, apiErr.Code)
	case err != nil:
		m.metrics.WeComAPIError(string(a.Kind), -1)
	}
	return res, err
}

// close releases the stores, then what the puller held.
func (a *app) close() {
	if err := a.store.Close(); err != nil {
		a.log.Warn("close stores", "err", err)
	}
	for _, free := range a.closers {
		free()
	}
}
