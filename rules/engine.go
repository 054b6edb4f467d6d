package rules

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

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
	// LongConn says the 智能机器人 runs over the long connection, so posts
	// can go into the groups it has heard from by aibot_send_msg.
	LongConn bool
}

// Engine decides. It is safe for concurrent use.
type Engine struct {
	store      Store
	counters   Counters
	admins     map[string]bool
	loc        *time.Location
	now        func() time.Time
	apiEnabled bool
	log        *slog.Logger
	hit        func(rule string)
	settings   *settingsCache
	commands   *commandTable
	bans       banCache
	replies    *replyCache
	longConn   bool
	reach      reachCache
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
		replies: newReplyCache(configured, d.Rand),
		admins:  make(map[string]bool, len(d.Admins)),
	}
	for _, a := range d.Admins {
		e.admins[a] = true
	}
	e.commands = newCommandTable(allCommands())
	return e, nil
}

// Handle decides on one event. Effects, outbox rows and the reply are
// committed together; a redelivery of the same event returns the stored reply
// and changes nothing. An error means nothing was recorded and the delivery
// may be retried.
func (e *Engine) Handle(ctx context.Context, ev bot.Event) ([]bot.Action, error) {
	if ev.ID == "" {
		return nil, errors.New("rules: event without an id")
	}
	if err := CheckEvent(ev); err != nil {
		return nil, err
	}
	now := e.now()
	if ev.At.IsZero() {
		ev.At = now
	}
	var t *Turn
	err := e.store.Atomic(ctx, func(tx Tx) error {
		if err := tx.ClaimDelivery(ctx, ev.ID, now); err != nil {
			return err
		}
		t = e.newTurn(tx, ev, now)
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
	e.afterCommit(ctx, t)
	return t.actions(), nil
}

func (e *Engine) storedReply(ctx context.Context, id string) ([]bot.Action, error) {
	reply, err := e.store.StoredReply(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("rules: stored reply of %s: %w", id, err)
	}
	if reply == "" {
		return nil, nil
	}
	return []bot.Action{{Kind: bot.ActReply, Text: reply}}, nil
}

// afterCommit runs what must only happen once the turn is durable.
func (e *Engine) afterCommit(ctx context.Context, t *Turn) {
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

// InvalidateSettings drops a group's cached settings and reachability ("" for every group);
// replicas call it when another replica publishes a change.
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
}

// messageStages run in order for a message until one ends the turn (see the
// package doc). Features add their stage here, in the documented order.
var messageStages = []struct {
	name string
	run  func(ctx context.Context, t *Turn) error
}{
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
	if err := countMessage(ctx, t); err != nil {
		return err
	}
	for _, s := range messageStages {
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
