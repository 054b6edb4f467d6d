package rules

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// AIBotReach records, per group, whether the 智能机器人 may post into it over
// the long connection (aibot_send_msg): WeCom allows it once a member has
// spoken to the bot there, and refuses it (93001, 93006, no permission) when
// the bot left or never could.
type AIBotReach interface {
	// AIBotReach returns ErrNotFound for a group never seen over the long connection.
	AIBotReach(ctx context.Context, chatID string) (Reach, error)
	SetAIBotReach(ctx context.Context, r Reach) error
	AIBotReaches(ctx context.Context) (map[string]Reach, error)
}

// Reach states; stored values.
const (
	ReachYes     = "reachable" // a member spoke to the bot here over the long connection
	ReachRefused = "refused"   // WeCom refused a post here (Code says how)
)

// Reach is one group's long-connection reachability.
type Reach struct {
	ChatID string
	State  string // ReachYes | ReachRefused
	Code   int    // the errcode of a refusal
	At     time.Time
}

// reachCache remembers the groups this process knows to be reachable, so a
// message in a known group costs no database read, and which turn is
// recording a group now, so the first messages of a busy group do not all
// write the same row.
type reachCache struct {
	known  sync.Map // chatID → true
	noting sync.Map // chatID → reachNote
}

// reachNote is a turn recording a group's reachability.
type reachNote struct {
	eventID string
	at      time.Time
}

// reachClaim is how long a turn's claim to record a group lasts: past it,
// the turn is taken to have rolled back and another may record the group.
const reachClaim = 10 * time.Second

func (c *reachCache) forget(chatID string) {
	if chatID == "" {
		c.known.Clear()
		c.noting.Clear()
		return
	}
	c.known.Delete(chatID)
	c.noting.Delete(chatID)
}

// claim lets one turn at a time record chatID (the same turn decided again
// included).
func (c *reachCache) claim(chatID, eventID string, now time.Time) bool {
	v, loaded := c.noting.LoadOrStore(chatID, reachNote{eventID, now})
	if !loaded {
		return true
	}
	if n := v.(reachNote); n.eventID != eventID && now.Sub(n.at) < reachClaim {
		return false
	}
	c.noting.Store(chatID, reachNote{eventID, now})
	return true
}

// noteReach records that the bot heard a member in the turn's group over the
// long connection: from now on posts into it may go by aibot_send_msg.
func noteReach(ctx context.Context, t *Turn) error {
	chatID := t.Event.ChatID
	if t.Event.Channel != bot.ChannelAIBotWS || chatID == "" || t.Direct {
		return nil
	}
	if _, ok := t.e.reach.known.Load(chatID); ok {
		return nil
	}
	r, err := t.Tx.AIBotReach(ctx, chatID)
	switch {
	case err != nil && !errors.Is(err, ErrNotFound):
		return err
	case err == nil && r.State == ReachYes: // committed already: known from now on
		t.e.reach.known.Store(chatID, true)
		return nil
	case !t.e.reach.claim(chatID, t.Event.ID, t.Now):
		return nil // another turn is recording it
	}
	if err := t.Tx.SetAIBotReach(ctx, Reach{ChatID: chatID, State: ReachYes, At: t.Now}); err != nil {
		return err
	}
	t.AfterCommit(func(context.Context) {
		t.e.reach.known.Store(chatID, true)
		t.e.reach.noting.Delete(chatID)
	})
	return nil
}

// reachable reports whether a post into the turn's group goes by
// aibot_send_msg: long-connection mode, and a member spoke to the bot there.
func (t *Turn) reachable(ctx context.Context) (bool, error) {
	if !t.e.longConn || t.Event.ChatID == "" {
		return false, nil
	}
	r, err := t.Tx.AIBotReach(ctx, t.Event.ChatID)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return r.State == ReachYes, err
}

// AIBotFallback settles an aibot_send_msg post WeCom would not take: the
// post's other channels (decided when it was made) are queued instead, once,
// however often the delivery is retried. A non-zero refusedCode is WeCom's
// refusal of the chat: the group is recorded as not reachable, so later posts
// go the other way at once, until a member speaks to the bot there again.
func (e *Engine) AIBotFallback(ctx context.Context, a bot.Action, refusedCode int) error {
	if a.Kind != bot.ActAIBotSend || a.Key == "" {
		return fmt.Errorf("rules: fallback of %s without a key", a.Kind)
	}
	now := e.now()
	err := e.store.Atomic(ctx, func(tx Tx) error {
		if err := tx.ClaimDelivery(ctx, "fallback:"+a.Key, now); err != nil {
			return err
		}
		if refusedCode != 0 && a.ChatID != "" {
			if err := tx.SetAIBotReach(ctx, Reach{ChatID: a.ChatID, State: ReachRefused, Code: refusedCode, At: now}); err != nil {
				return err
			}
		}
		return tx.Enqueue(ctx, now, a.Fallback...)
	})
	if errors.Is(err, ErrDuplicate) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("rules: fall back from aibot_send_msg in %s: %w", a.ChatID, err)
	}
	if refusedCode != 0 && a.ChatID != "" {
		e.reach.forget(a.ChatID)
		if err := e.counters.PublishSettingsChanged(ctx, a.ChatID); err != nil {
			e.log.Warn("publish reachability change", "chat_id", a.ChatID, "err", err)
		}
	}
	return nil
}
