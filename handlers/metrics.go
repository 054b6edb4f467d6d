package handlers

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// Callback outcomes, the values of the outcome label of qunbot_callbacks_total.
const (
	outcomeOK            = "ok"
	outcomeDuplicate     = "duplicate"
	outcomeBadSignature  = "bad_signature"
	outcomeStale         = "stale"
	outcomeTooLarge      = "too_large"
	outcomeUndecryptable = "undecryptable"
	outcomeMalformed     = "malformed"
	outcomeUnsupported   = "unsupported"
	outcomeNoSender      = "no_sender"   // a message or click without from.userid: ignored
	outcomeTooLong       = "too_long"    // a field too long to keep (a 300-character msgid): 400
	outcomeBusy          = "busy"        // the body budget is spent: 503, unread
	outcomeLate          = "late"        // answered empty; the reply goes to the response_url
	outcomeUnavailable   = "unavailable" // 503: a store did not answer in time; WeCom retries
	outcomeError         = "error"
)

var outcomes = []string{outcomeOK, outcomeDuplicate, outcomeBadSignature, outcomeStale, outcomeTooLarge,
	outcomeUndecryptable, outcomeMalformed, outcomeUnsupported, outcomeNoSender, outcomeTooLong, outcomeBusy, outcomeLate,
	outcomeUnavailable, outcomeError}

// Metrics are qunbot's Prometheus collectors. The callback metrics are fed by
// this package; the others are hooks for the rest of the service, wired in
// cmd/qunbot:
//
//	reg := prometheus.NewRegistry()
//	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
//	m := handlers.NewMetrics(reg)
//	m.WatchOutboxDepth(func() float64 { n, _ := store.OutboxDepth(ctxWithTimeout); return float64(n) })
//	engine := rules.New(..., rules.WithRuleHit(m.RuleHit))        // a func(rule string)
//	client := bot.NewClient(..., bot.WithAPIError(m.WeComAPIError)) // a func(api string, code int)
//	h := handlers.New(handlers.Deps{..., Registry: reg, Metrics: m})
type Metrics struct {
	reg       *prometheus.Registry
	callbacks *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	ruleHits  *prometheus.CounterVec
	apiErrors *prometheus.CounterVec
	bodyBytes prometheus.Gauge
}

// NewMetrics registers qunbot's collectors on reg. Call it once per registry:
// registering twice panics.
func NewMetrics(reg *prometheus.Registry) *Metrics {
	m := &Metrics{
		reg: reg,
		callbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qunbot_callbacks_total",
			Help: "WeCom callbacks by endpoint (aibot, app, aibot_ws: the long connection) and outcome.",
		}, []string{"endpoint", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "qunbot_callback_duration_seconds",
			Help:    "Time to answer a WeCom callback (WeCom gives up after 5 s).",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5},
		}, []string{"endpoint"}),
		ruleHits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qunbot_rule_hits_total",
			Help: "Decisions taken, by rule (checkin, keyword_reply, violation_flood, ...).",
		}, []string{"rule"}),
		apiErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qunbot_wecom_api_errors_total",
			Help: "Failed WeCom API calls by API and errcode (-1 for transport errors).",
		}, []string{"api", "code"}),
		bodyBytes: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "qunbot_callback_body_bytes_in_flight",
			Help: "Bytes of callback bodies reserved by requests in flight (bounded by the body budget).",
		}),
	}
	reg.MustRegister(m.callbacks, m.duration, m.ruleHits, m.apiErrors, m.bodyBytes)
	for _, endpoint := range []string{endpointAIBot, endpointApp, endpointAIBotWS} {
		for _, o := range outcomes {
			m.callbacks.WithLabelValues(endpoint, o) // every series exists from the start, at 0
		}
	}
	return m
}

// RuleHit counts one decision of rule. Pass it to the rules engine as a func(string).
func (m *Metrics) RuleHit(rule string) { m.ruleHits.WithLabelValues(rule).Inc() }

// WeComAPIError counts one failed WeCom API call. Pass it to the bot client.
func (m *Metrics) WeComAPIError(api string, code int) {
	m.apiErrors.WithLabelValues(api, strconv.Itoa(code)).Inc()
}

// WatchOutboxDepth exposes qunbot_outbox_depth, read from depth at every
// scrape. depth should bound its own I/O with a short timeout.
func (m *Metrics) WatchOutboxDepth(depth func() float64) error {
	return m.reg.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "qunbot_outbox_depth",
		Help: "Actions waiting in the outbox for delivery to WeCom.",
	}, depth))
}

// LongConnCallback counts one callback received over the 智能机器人 long
// connection (endpoint aibot_ws) by outcome, and how long its answer took.
func (m *Metrics) LongConnCallback(outcome string, seconds float64) {
	m.observe(endpointAIBotWS, outcome, seconds)
}

func (m *Metrics) observe(endpoint, outcome string, seconds float64) {
	m.callbacks.WithLabelValues(endpoint, outcome).Inc()
	m.duration.WithLabelValues(endpoint).Observe(seconds)
}
