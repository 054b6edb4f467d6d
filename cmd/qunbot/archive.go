package main

import (
	"context"
	"errors"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/archive"
	"github.com/qunbot/qunbot/rules"
)

// newPuller wires full-traffic mode (INTERFACE.md section 9): nil when the
// archive is not configured. The records come from WeCom's Finance SDK (a
// build with -tags msgaudit), from a fake archive over HTTP
// (QUNBOT_ARCHIVE_FAKE_URL), or from an in-process fake (sim, tests).
func (a *app) newPuller(o appOptions, reg *prometheus.Registry) (*archive.Puller, error) {
	cfg := a.cfg.WeCom.Archive
	if !a.cfg.FullTraffic() {
		return nil, nil
	}
	keys, err := archive.LoadKeys(cfg.PrivateKeyFile)
	if err != nil {
		return nil, configProblems([]string{"QUNBOT_ARCHIVE_PRIVATE_KEY_FILE：" + err.Error()})
	}
	source := o.archive
	switch {
	case source != nil:
	case cfg.FakeURL != "":
		source = archive.NewHTTPSource(cfg.FakeURL)
	default:
		sdk, free, err := archive.NewSDK(a.cfg.WeCom.CorpID, cfg.Secret)
		if err != nil {
			return nil, err // ErrNoSDK is the one line naming the build tag
		}
		a.closers = append(a.closers, free)
		source = sdk
	}
	records := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "qunbot_archive_records_total",
		Help: "Message-archive records pulled, by outcome (handled, skipped_<reason>, failed).",
	}, []string{"outcome"})
	cursor := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "qunbot_archive_seq",
		Help: "The message-archive cursor this process saved last: every record up to it is handled.",
	})
	for _, c := range []prometheus.Collector{records, cursor} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	bots := map[string]bool{}
	for _, id := range append(cfg.BotIDs, a.cfg.WeCom.AIBot.BotID) {
		if id != "" {
			bots[id] = true
		}
	}
	return &archive.Puller{
		Source: source, Keys: keys, Cursor: a.store, Lease: a.store.Lease("archive"), Engine: a.engine,
		Bots: bots, Poll: cfg.Poll, Batch: o.archiveBatch, Lanes: o.archiveLanes, Log: a.log,
		Skip: func(err error) bool {
			return errors.Is(err, rules.ErrFieldTooLong) || errors.Is(err, rules.ErrNoSender)
		},
		Observe: func(outcome string) { records.WithLabelValues(outcome).Inc() },
		Saved:   func(seq int64) { cursor.Set(float64(seq)) },
	}, nil
}

// notifyDecider hands every callback to the engine and, for
// msgaudit_notify, wakes the puller once the notice is recorded.
type notifyDecider struct {
	bot.Decider
	puller *archive.Puller
}

func (d notifyDecider) Handle(ctx context.Context, ev bot.Event) ([]bot.Action, error) {
	actions, err := d.Decider.Handle(ctx, ev)
	if ev.Kind == bot.KindArchiveNotify && d.puller != nil {
		d.puller.Wake()
	}
	return actions, err
}

// runArchive pulls the archive at start, on msgaudit_notify and on the timer.
func (a *app) runArchive(ctx context.Context) { a.puller.Run(ctx) }
