package rules

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/qunbot/qunbot/bot"
)

// Deps is everything the engine needs from outside.
type Deps struct {
	Store    Store
	Counters Counters
	// Defaults and Groups are the settings layers from the YAML file
	// (flattened keys); /config overrides from the store go on top.
	Defaults map[string]string
	Groups   map[string]map[string]string
	Admins   []string // QUNBOT_ADMINS: admins in every group
	Location *time.Location
	Now      func() time.Time
	// APIEnabled says whether WeCom API calls can be made; when false the
	// engine does not queue look-ups it could do without.
	APIEnabled bool
	Log        *slog.Logger
	// Hit counts a rule that decided a turn (a command, a stage), for metrics.
	Hit  func(rule string)
	Rand func(n int) int // picks one of several keyword replies; nil = math/rand
	// Hot serves the hot path (hot.go); nil runs every turn transactionally.
	Hot HotStore
	// LongConn says the 智能机器人 runs over the long connection, so posts
	// can go into the groups it has heard from by aibot_send_msg.
	LongConn bool
	// Prints finds the print an archived message and its @-callback share
	// (archive.go); nil matches nothing.
	Prints Prints
	// FullTraffic says the message archive feeds every group message in, so
	// statistics are no longer only what the bot was @-mentioned with.
	FullTraffic bool
}

// Engine decides. It is safe for concurrent use.
type Engine struct {
	store        Store
	counters     Counters
	globalAdmins map[string]bool // QUNBOT_ADMINS
	loc          *time.Location
	now          func() time.Time
	apiEnabled   bool
	log          *slog.Logger
	hit          func(rule string)
	settings     *settingsCache
	commands     *commandTable
	bans         banCache
	replies      *replyCache

	hot         HotStore
	reader      Tx // the store outside any transaction, for the hot path's reads
	knownGroups groupSet
	meters      meterHints                     // the members' meters as last read, to skip reservations bound to fail
	admins      compiledCache[map[string]bool] // the hot path's group admins
	stripes     *stripes
	flight      singleflight.Group // one decision per event id at a time
	longConn    bool
	reach       reachCache
	prints      Prints
	fullTraffic bool
}

// New builds an engine. It validates every configured settings layer so a bad
// YAML file stops start-up with one line per bad key.
func New(d Deps) (*Engine, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Location == nil {
		d.Location = time.UTC
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Hit == nil {
		d.Hit = func(string) {}
	}
	if bad := CheckSettings(d.Defaults, d.Groups); len(bad) > 0 {
		return nil, &SettingsError{Bad: bad}
	}
	defaults, groups, configured, err := splitReplyConfig(d.Defaults, d.Groups)
	if err != nil {
		return nil, err
	}
	cache, err := newSettingsCache(defaults, groups)
	if err != nil {
		return nil, err
	}
	cache.log = d.Log
	e := &Engine{
		store: d.Store, counters: d.Counters, loc: d.Location, now: d.Now,
		apiEnabled: d.APIEnabled, log: d.Log, hit: d.Hit, settings: cache, longConn: d.LongConn,
		replies:      newReplyCache(configured, d.Rand),
		globalAdmins: make(map[string]bool, len(d.Admins)),
		hot:          d.Hot, reader: d.Store, stripes: newStripes(), prints: d.Prints, fullTraffic: d.FullTraffic,
	}
	for _, a := range d.Admins {
		e.globalAdmins[a] = true
	}
	e.commands = newCommandTable(allCommands())
	return e, nil
}

// Handle decides on one event. Effects, outbox rows and the reply are
// committed together; a redelivery of the same event returns the stored reply
// and changes nothing. An error means nothing was recorded and the delivery
// may be retried. Deliveries of one event arriving together share one
// decision.
func (e *Engine) Handle(ctx context.Context, ev bot.Event) ([]bot.Action, error) {
	if ev.ID == "" {
		return nil, errors.New("rules: event without an id")
	}
	if err := CheckEvent(ev); err != nil {
		return nil, err
	}
	v, err, _ := e.flight.Do(ev.ID, func() (any, error) { return e.decide(ctx, ev) })
	actions, _ := v.([]bot.Action)
	return actions, err
}

// decide takes the hot path when the event qualifies (hot.go) and the
// transactional path otherwise, or when the hot path hands the turn over.
// The member's stripe is held throughout, so their turns never overlap.
func (e *Engine) decide(ctx context.Context, ev bot.Event) ([]bot.Action, error) {
	now := e.now()
	if ev.At.IsZero() {
		ev.At = now
	}
	now = turnTime(ev, now)
	if ev.ChatID != "" && ev.From != "" {
		defer e.stripes.lock(ev.ChatID, ev.From)()
	}
	pr, err := e.printOf(ctx, ev)
	if err != nil {
		return nil, fmt.Errorf("rules: match %s: %w", ev.ID, err)
	}
	if e.hot != nil && ev.Kind == bot.KindMessage && ev.ChatID != "" && ev.From != "" {
		actions, err := e.handleHot(ctx, ev, now, pr)
		if !errors.Is(err, errSlowPath) {
			return actions, err
		}
		e.hit("transactional")
	}
	return e.handleSlow(ctx, ev, now, pr)
}

// handleSlow is the transactional path: the whole turn in one database
// transaction that claims the delivery, decides, records the effects, the
// outbox rows and the reply. A redelivery whose reply is cached is answered
// without one.
func (e *Engine) handleSlow(ctx context.Context, ev bot.Event, now time.Time, pr *MessagePrint) ([]bot.Action, error) {
	if reply, ok, err := e.counters.CachedReply(ctx, ev.ID); err == nil && ok {
		return replyActions(reply), nil
	}
	var t *Turn
	err := e.store.Atomic(ctx, func(tx Tx) error {
		if err := tx.ClaimDelivery(ctx, ev.ID, now); err != nil {
			return err
		}
		if err := recordPrint(ctx, tx, pr); err != nil {
			return err
		}
		t = e.newTurn(tx, ev, now)
		t.print = pr
		t.Tx = withPoints(t)
		t.Tx = withStats(t)
		if err := e.dispatch(ctx, t); err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, now, t.outbound...); err != nil {
			return err
		}
		return tx.SaveReply(ctx, ev.ID, t.replyText())
	})
	if errors.Is(err, ErrDuplicate) {
		return e.storedReply(ctx, ev.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("rules: handle %s: %w", ev.ID, err)
	}
	if t.Settings != nil {
		e.knownGroups.add(t.Event.ChatID)
	}
	e.cacheReply(ctx, ev.ID, t.replyText())
	e.afterCommit(ctx, t)
	return t.actions(), nil
}

// cacheReply keeps a reply for the event's redeliveries; without Redis they
// are answered from the database.
func (e *Engine) cacheReply(ctx context.Context, eventID, reply string) {
	if err := e.counters.CacheReply(ctx, eventID, reply); err != nil {
		e.log.Debug("reply not cached", "msg_id", eventID, "err", err)
	}
}

func (e *Engine) storedReply(ctx context.Context, id string) ([]bot.Action, error) {
	reply, err := e.store.StoredReply(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("rules: stored reply of %s: %w", id, err)
	}
	e.cacheReply(ctx, id, reply)
	return replyActions(reply), nil
}

// afterCommit runs what must only happen once the turn is durable. The
// leaderboard increments of a hot turn went with its journal.
func (e *Engine) afterCommit(ctx context.Context, t *Turn) {
	for _, b := range t.boards {
		if err := e.counters.AddEarned(ctx, b.ChatID, b.UserID, b.Delta, b.Boards); err != nil {
			e.log.Warn("leaderboard update", "chat_id", b.ChatID, "user_id", b.UserID, "err", err)
		}
	}
	for chatID := range t.settingsChanged {
		e.settings.invalidate(chatID)
		if err := e.counters.PublishSettingsChanged(ctx, chatID); err != nil {
			e.log.Warn("publish settings change", "chat_id", chatID, "err", err)
		}
	}
	for _, fn := range t.afterCommit {
		fn(ctx)
	}
}

// InvalidateSettings drops a group's cached settings (and with them what is
// compiled from them) and reachability ("" for every group); replicas call it when another replica
// publishes a change.
func (e *Engine) InvalidateSettings(chatID string) {
	e.settings.invalidate(chatID)
	e.reach.forget(chatID)
}

// Location is the time zone of day boundaries and schedules.
func (e *Engine) Location() *time.Location { return e.loc }

func (e *Engine) dispatch(ctx context.Context, t *Turn) error {
	if t.Event.Kind == bot.KindMessage {
		return e.handleMessage(ctx, t)
	}
	if h, ok := eventHandlers[t.Event.Kind]; ok {
		if err := t.enterGroup(ctx, t.Event.ChatID); err != nil {
			return err
		}
		return h(ctx, t)
	}
	return nil
}

// eventHandlers answer the non-message kinds. Features add their kind here.
var eventHandlers = map[bot.Kind]func(ctx context.Context, t *Turn) error{
	bot.KindTick:          runTick,
	bot.KindCardClick:     handleCardClick,
	bot.KindMemberJoin:    handleMemberJoin,
	bot.KindMemberLeave:   handleMemberLeave,
	bot.KindGroupSnapshot: handleGroupSnapshot,
	bot.KindEnterChat:     handleEnterChat,
	bot.KindRecall:        handleRecall,
}

// messageStages run in order for a message until one ends the turn (see the
// package doc). Features add their stage here, in the documented order.
var messageStages = []struct {
	name string
	run  func(ctx context.Context, t *Turn) error
}{
	{"archive", runArchiveGate}, // archived messages only (archive.go)
	{"commands", runCommands},
	{"moderation", runModeration},
	{"quiz", runQuiz},
	{"points", runMessagePoints},
	{"replies", runReplies},
}

func (e *Engine) handleMessage(ctx context.Context, t *Turn) error {
	if err := t.resolveGroupContext(ctx); err != nil {
		return t.fail(err)
	}
	if err := noteReach(ctx, t); err != nil {
		return err
	}
	count, plan := t.messagePlan()
	if count {
		if err := countMessage(ctx, t); err != nil {
			return err
		}
	}
	for _, s := range messageStages {
		if !runsIn(s.name, plan) {
			continue
		}
		if err := s.run(ctx, t); err != nil {
			return t.fail(err)
		}
		if t.done {
			if s.name != "commands" {
				t.e.hit(s.name)
			}
			return nil
		}
	}
	return nil
}

// runsIn reports whether a message stage runs under a turn's plan; a nil
// plan is every stage but the archive's own.
func runsIn(stage string, plan []string) bool {
	if plan == nil {
		return stage != "archive"
	}
	return slices.Contains(plan, stage)
}
