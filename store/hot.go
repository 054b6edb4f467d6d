package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/qunbot/qunbot/rules"
)

var _ rules.HotStore = (*Store)(nil)

// BeginTurn claims the delivery and reads the speaker's copy in one round
// trip; only a member without a copy (or a new generation of copies) costs
// more. rules.ErrDuplicate means another delivery of eventID claimed it.
func (s *Store) BeginTurn(ctx context.Context, eventID, chatID, userID string) (rules.MemberState, error) {
	pipe := s.rdb.Pipeline()
	claim := pipe.SetNX(ctx, s.keys.claim(eventID), "1", claimTTL)
	epoch := pipe.Get(ctx, s.keys.epoch())
	local := s.copies.epoch.Load()
	copied := pipe.HGetAll(ctx, s.keys.memberCopy(local, chatID, userID))
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return rules.MemberState{}, fmt.Errorf("store: begin turn %s: %w", eventID, err)
	}
	if !claim.Val() {
		return rules.MemberState{}, rules.ErrDuplicate
	}
	current, _ := strconv.ParseInt(epoch.Val(), 10, 64)
	if current == local {
		if st, ok := decodeCopy(chatID, userID, copied.Val()); ok {
			return st, nil
		}
	} else {
		s.copies.epoch.CompareAndSwap(local, current)
	}
	st, err := s.loadState(ctx, chatID, userID)
	if err != nil {
		s.AbandonTurn(context.WithoutCancel(ctx), eventID)
		return rules.MemberState{}, err
	}
	return st, nil
}

// AbandonTurn releases a claim whose turn recorded nothing.
func (s *Store) AbandonTurn(ctx context.Context, eventID string) {
	if err := s.rdb.Del(ctx, s.keys.claim(eventID)).Err(); err != nil && !errors.Is(err, ErrRedisDown) {
		s.log.WarnContext(ctx, "store: claim not released", "msg_id", eventID, "err", err)
	}
}

// ReserveMessageSlot takes a slot from the copy's meter (reserveSlot).
func (s *Store) ReserveMessageSlot(ctx context.Context, m rules.MessageSlot) (rules.Meter, bool, error) {
	at := dbTime(m.At)
	res, err := reserveSlot.Run(ctx, s.rdb, []string{s.copyKey(m.ChatID, m.UserID)},
		m.Day, at.UnixMilli(), m.Cooldown.Milliseconds(), m.DailyCap).Slice()
	if err != nil {
		return rules.Meter{}, false, fmt.Errorf("store: reserve message slot of %s in %s: %w", m.UserID, m.ChatID, err)
	}
	if len(res) != 4 {
		return rules.Meter{}, false, fmt.Errorf("store: reserve message slot: no copy of %s in %s: %w",
			m.UserID, m.ChatID, rules.ErrConflict)
	}
	granted, _ := res[0].(int64)
	meter := rules.Meter{Day: fmt.Sprint(res[1]), Count: int(toInt64(res[2])), Last: timeOfMs(toInt64(res[3]))}
	return meter, granted == 1, nil
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
	unknownNameTTL = 5 * time.Second
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
