package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/qunbot/qunbot/rules"
)

var _ rules.HotStore = (*Store)(nil)

// BeginTurn claims the delivery, reads the speaker's copy and reserves the
// turn's message-points slot in one round trip; only a member without a copy
// (or a new generation of copies) costs more. With the in-process Redis the
// claim is taken in the process first (claims_local.go). rules.ErrDuplicate
// means another delivery of the event claimed it; its reply comes along when
// it was cached.
func (s *Store) BeginTurn(ctx context.Context, start rules.TurnStart) (rules.TurnBegun, error) {
	var begun rules.TurnBegun
	mark := s.copies.recoveries.Load()
	local := s.copies.epoch.Load()
	copyKey := s.keys.memberCopy(local, start.ChatID, start.UserID)
	var (
		claim       *redis.BoolCmd
		epoch, held *redis.StringCmd
		copied      *redis.MapStringStringCmd
		slot        *redis.Cmd
	)
	if s.localClaims != nil {
		if held, ok := s.localClaims.claim(start.EventID); !ok {
			begun.Reply, begun.HasReply = strings.CutPrefix(held, claimAnswered)
			return begun, rules.ErrDuplicate
		}
	}
	err := s.pipes.do(ctx, func(pipe redis.Pipeliner) {
		if s.localClaims == nil {
			claim = pipe.SetNX(ctx, s.keys.claim(start.EventID), claimInFlight, claimTTL)
			held = pipe.Get(ctx, s.keys.claim(start.EventID)) // what a claim held before says
		}
		epoch = pipe.Get(ctx, s.keys.epoch())
		copied = pipe.HGetAll(ctx, copyKey)
		if start.Slot != nil {
			slot = reserveSlot.Eval(ctx, pipe, []string{copyKey}, slotArgs(*start.Slot)...)
		}
	})
	if err == nil {
		cmds := []redis.Cmder{epoch, copied}
		if claim != nil {
			cmds = append(cmds, claim, held)
		}
		if slot != nil {
			cmds = append(cmds, slot)
		}
		err = firstError(cmds)
	}
	if err != nil {
		return begun, fmt.Errorf("store: begin turn %s: %w", start.EventID, err)
	}
	if claim != nil && !claim.Val() {
		begun.Reply, begun.HasReply = strings.CutPrefix(held.Val(), claimAnswered)
		return begun, rules.ErrDuplicate
	}
	current, _ := strconv.ParseInt(epoch.Val(), 10, 64)
	if current == local && !s.copies.untrusted(mark) {
		if st, ok := decodeCopy(start.ChatID, start.UserID, copied.Val()); ok {
			begun.State = st
			if slot != nil {
				begun.Meter, begun.Granted, begun.Reserved = slotOutcome(slot.Val())
			}
			return begun, nil
		}
	} else {
		s.copies.epoch.CompareAndSwap(local, current)
	}
	st, err := s.loadState(ctx, start.ChatID, start.UserID)
	if err != nil {
		s.AbandonTurn(context.WithoutCancel(ctx), start.EventID)
		return begun, err
	}
	begun.State = st
	return begun, nil
}

// firstError is the first error of cmds other than redis.Nil (a key that
// is not there).
func firstError(cmds []redis.Cmder) error {
	for _, c := range cmds {
		if err := c.Err(); err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
	}
	return nil
}

// AbandonTurn releases a claim whose turn recorded nothing.
func (s *Store) AbandonTurn(ctx context.Context, eventID string) {
	if s.localClaims != nil {
		s.localClaims.release(eventID)
		return
	}
	if err := s.rdb.Del(ctx, s.keys.claim(eventID)).Err(); err != nil && !errors.Is(err, ErrRedisDown) {
		s.log.WarnContext(ctx, "store: claim not released", "msg_id", eventID, "err", err)
	}
}

// ReserveMessageSlot takes a slot from the copy's meter (reserveSlot).
func (s *Store) ReserveMessageSlot(ctx context.Context, m rules.MessageSlot) (rules.Meter, bool, error) {
	res, err := reserveSlot.Run(ctx, s.rdb, []string{s.copyKey(m.ChatID, m.UserID)}, slotArgs(m)...).Result()
	if err != nil {
		return rules.Meter{}, false, fmt.Errorf("store: reserve message slot of %s in %s: %w", m.UserID, m.ChatID, err)
	}
	meter, granted, ok := slotOutcome(res)
	if !ok {
		return rules.Meter{}, false, fmt.Errorf("store: reserve message slot: no copy of %s in %s: %w",
			m.UserID, m.ChatID, rules.ErrConflict)
	}
	return meter, granted, nil
}

func slotArgs(m rules.MessageSlot) []any {
	return []any{m.Day, dbTime(m.At).UnixMilli(), m.Cooldown.Milliseconds(), m.DailyCap}
}

// slotOutcome reads reserveSlot's answer; ok is false when there was no copy.
func slotOutcome(res any) (meter rules.Meter, granted, ok bool) {
	vals, _ := res.([]any)
	if len(vals) != 4 {
		return rules.Meter{}, false, false
	}
	meter = rules.Meter{Day: fmt.Sprint(vals[1]), Count: int(toInt64(vals[2])), Last: timeOfMs(toInt64(vals[3]))}
	return meter, toInt64(vals[0]) == 1, true
}

// ReleaseMessageSlot gives back a reserved slot (releaseSlot).
func (s *Store) ReleaseMessageSlot(ctx context.Context, chatID, userID string, reserved, before rules.Meter) {
	err := releaseSlot.Run(ctx, s.rdb, []string{s.copyKey(chatID, userID)},
		reserved.Day, reserved.Count, msOf(reserved.Last), before.Day, before.Count, msOf(before.Last)).Err()
	if err != nil && !errors.Is(err, redis.Nil) && !errors.Is(err, ErrRedisDown) {
		s.log.WarnContext(ctx, "store: message slot not given back", "chat_id", chatID, "user_id", userID, "err", err)
	}
}

// toInt64 reads a number Redis answered as an integer or a string.
func toInt64(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case string:
		i, _ := strconv.ParseInt(n, 10, 64)
		return i
	}
	return 0
}

// nameTTL bounds how stale a cached display name may be on a replica that
// did not write it; unknownNameTTL how long "no name yet" is believed (the
// address book is asked for it when a member is first seen).
const (
	nameTTL        = time.Minute
	unknownNameTTL = time.Minute
)

// names caches display names in the process: a name is read on most hot
// turns (replies, boards) and changes rarely.
type names struct {
	mu sync.Mutex
	m  map[string]cachedName
}

type cachedName struct {
	name string
	at   time.Time
}

// namesMax bounds the cache; when full it starts over.
const namesMax = 100_000

// CachedName is userID's display name from the directory, read at most once
// a minute per process; rules.ErrNotFound when the directory has none.
func (s *Store) CachedName(ctx context.Context, userID string) (string, error) {
	now := time.Now()
	s.names.mu.Lock()
	c, ok := s.names.m[userID]
	s.names.mu.Unlock()
	if ok && c.name != "" && now.Sub(c.at) < nameTTL {
		return c.name, nil
	}
	if ok && c.name == "" && now.Sub(c.at) < unknownNameTTL {
		return "", rules.ErrNotFound
	}
	name, err := s.Name(ctx, userID)
	if err != nil && !errors.Is(err, rules.ErrNotFound) {
		return "", err
	}
	s.names.mu.Lock()
	if s.names.m == nil || len(s.names.m) >= namesMax {
		s.names.m = map[string]cachedName{}
	}
	s.names.m[userID] = cachedName{name: name, at: now}
	s.names.mu.Unlock()
	return name, err
}

// forgetName drops userID's cached name (SetName wrote a new one).
func (n *names) forget(userID string) {
	n.mu.Lock()
	delete(n.m, userID)
	n.mu.Unlock()
}
