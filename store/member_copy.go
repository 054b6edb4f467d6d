package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/qunbot/qunbot/rules"
)

// The hot path reads a member's state from a copy in Redis: a hash holding
// the member row's fields and the version of the row it was read from
// (rules/hot.go). Copies are only ever replaced by newer versions, so the
// order in which writers and readers reach Redis does not matter; a copy
// Redis lost is read again from the row. The meter is the one thing the copy
// holds ahead of the row: a hot turn reserves its slot here, atomically
// across replicas, and the row follows when the turn commits. A copy put
// over an older one keeps a meter that is ahead of the row's (a slot
// reserved by a turn not yet committed, perhaps on another replica), so a
// row written by another turn never gives that slot away again
// (applyWrites, redis_writes.go).

// copyTTL bounds how long an unused copy stays, and how stale one can be
// that a write could not update (Redis unreachable from its writer).
const copyTTL = time.Hour

// claimTTL is how long a delivery's claim keeps its redeliveries off the hot
// path; the database's delivery row decides after that, as it does for a
// claim Redis lost. It outlasts the longest turn (a decision that runs late
// has a minute, its commit ten seconds more) and WeCom's redeliveries (three,
// about five seconds apart), and not much more: every message leaves a claim
// for this long, so at a thousand messages a second the claims are 120,000
// keys (ten minutes made 600,000). With the in-process Redis they are held
// in the process instead (claims_local.go).
const claimTTL = 2 * time.Minute

// A claim holds claimInFlight while its turn runs, and claimAnswered and the
// reply ("" included) once the turn is committed, so a redelivery is answered
// from the one key: one key a message, not a claim and a cached reply.
const (
	claimInFlight = "1"
	claimAnswered = "="
)

// copies holds the generation of copies this process reads and writes.
type copies struct {
	epoch atomic.Int64
	// stale is set from the moment Redis is found back after an outage until
	// the next generation is started: copies read meanwhile are not trusted.
	stale atomic.Bool
	// recoveries counts the outages Redis came back from, so a read that
	// spanned one (it may have found Redis back itself) is not trusted
	// either, even if the next generation started meanwhile.
	recoveries atomic.Int64
}

// untrusted reports whether Redis came back from an outage since mark
// (recoveries.Load() taken before a read), or copies are not yet trusted.
func (c *copies) untrusted(mark int64) bool { return c.stale.Load() || c.recoveries.Load() != mark }

// reserveSlot takes a message-points slot from the copy's meter under the
// same rule as TakeMessageSlot's UPDATE. ARGV: day, now (ms), cooldown (ms),
// daily cap. It answers {granted, day, count, last}, or {-1} without a copy.
var reserveSlot = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
local md = redis.call('HGET', KEYS[1], 'md') or ''
local mc = tonumber(redis.call('HGET', KEYS[1], 'mc') or '0')
local ml = redis.call('HGET', KEYS[1], 'ml') or ''
if ml ~= '' and tonumber(ml) > tonumber(ARGV[2]) - tonumber(ARGV[3]) then return {0, md, mc, ml} end
if md == ARGV[1] and mc >= tonumber(ARGV[4]) then return {0, md, mc, ml} end
if md == ARGV[1] then mc = mc + 1 else mc = 1 end
redis.call('HSET', KEYS[1], 'md', ARGV[1], 'mc', tostring(mc), 'ml', ARGV[2])
return {1, ARGV[1], mc, ARGV[2]}`)

// releaseSlot puts the meter back to ARGV[4..6] if it still shows the slot
// ARGV[1..3] reserved.
var releaseSlot = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'md') == ARGV[1] and redis.call('HGET', KEYS[1], 'mc') == ARGV[2]
   and redis.call('HGET', KEYS[1], 'ml') == ARGV[3] then
  redis.call('HSET', KEYS[1], 'md', ARGV[4], 'mc', ARGV[5], 'ml', ARGV[6])
end
return 0`)

// startEpoch moves the copies to a new generation when the process starts:
// another process may have written rows while Redis was out of its reach.
func (s *Store) startEpoch(ctx context.Context) error {
	n, err := s.rdb.Incr(ctx, s.keys.epoch()).Result()
	if err != nil {
		s.log.WarnContext(ctx, "store: new generation of member copies", "err", err)
		return err
	}
	s.copies.epoch.Store(n)
	return nil
}

// redisRecovered runs when Redis answers again after an outage (the
// breaker calls it before the call that found Redis back returns): the rows
// written meanwhile did not reach the copies, so no copy is trusted until a
// new generation is started.
func (s *Store) redisRecovered() {
	s.copies.stale.Store(true)
	s.copies.recoveries.Add(1)
	go func() {
		for attempt := 1; attempt <= 5; attempt++ {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			err := s.startEpoch(ctx)
			cancel()
			if err == nil {
				s.copies.stale.Store(false)
				return
			}
			time.Sleep(time.Duration(attempt) * time.Second)
		}
	}()
}

func (s *Store) copyKey(chatID, userID string) string {
	return s.keys.memberCopy(s.copies.epoch.Load(), chatID, userID)
}

// encodeCopy turns a state into the hash's field/value pairs.
func encodeCopy(st rules.MemberState) []any {
	m := st.Member
	found := "0"
	if st.Found {
		found = "1"
	}
	return []any{
		"f", found, "v", st.Version, "p", st.Points, "e", st.Earned,
		"md", st.Meter.Day, "mc", st.Meter.Count, "ml", msOf(st.Meter.Last),
		"cd", st.CheckinDay, "cs", st.CheckinStreak, "sd", st.SpokeDay,
		"ju", msOfPtr(m.JoinedAt), "js", m.JoinScene, "in", m.Inviter, "lu", msOfPtr(m.LeftAt),
		"rm", boolField(m.Removed), "pu", msOfPtr(m.ProbationUntil), "mu", msOfPtr(m.MutedUntil),
		"ap", boolField(m.Approved),
	}
}

// decodeCopy reads a hash written by encodeCopy; ok is false for an empty
// or unreadable one.
func decodeCopy(chatID, userID string, h map[string]string) (rules.MemberState, bool) {
	if h["v"] == "" {
		return rules.MemberState{}, false
	}
	var st rules.MemberState
	var bad bool
	num := func(k string) int64 {
		if h[k] == "" {
			return 0
		}
		n, err := strconv.ParseInt(h[k], 10, 64)
		bad = bad || err != nil
		return n
	}
	st.Found = h["f"] == "1"
	st.Version = num("v")
	st.Points, st.Earned = int(num("p")), int(num("e"))
	st.Meter = rules.Meter{Day: h["md"], Count: int(num("mc")), Last: timeOfMs(num("ml"))}
	st.CheckinDay, st.CheckinStreak, st.SpokeDay = h["cd"], int(num("cs")), h["sd"]
	st.Member = rules.Member{ChatID: chatID, UserID: userID, JoinedAt: ptrOfMs(num("ju")), JoinScene: int(num("js")),
		Inviter: h["in"], LeftAt: ptrOfMs(num("lu")), Removed: h["rm"] == "1", ProbationUntil: ptrOfMs(num("pu")),
		MutedUntil: ptrOfMs(num("mu")), Approved: h["ap"] == "1"}
	return st, !bad
}

func msOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.UnixMilli(), 10)
}

func msOfPtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return msOf(*t)
}

func timeOfMs(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func ptrOfMs(ms int64) *time.Time {
	if ms == 0 {
		return nil
	}
	t := timeOfMs(ms)
	return &t
}

func boolField(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// putCopies writes the copies of states in one round trip, each only over
// an older one.
func (s *Store) putCopies(ctx context.Context, states []rules.MemberState) error {
	if len(states) == 0 {
		return nil
	}
	pipe := s.rdb.Pipeline()
	s.queueCopies(ctx, pipe, states)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("store: update %d member copies: %w", len(states), err)
	}
	return nil
}

// queueCopies adds the puts of states to pipe (redis_writes.go).
func (s *Store) queueCopies(ctx context.Context, pipe redis.Pipeliner, states []rules.MemberState) {
	w := redisWrites{s: s}
	for _, st := range states {
		w.copy(st)
	}
	w.queue(ctx, pipe)
}

// loadState reads a member's state from the row and puts the copy.
func (s *Store) loadState(ctx context.Context, chatID, userID string) (rules.MemberState, error) {
	rows, err := s.readMemberRows(ctx, []memberKey{{chatID, userID}})
	if err != nil {
		return rules.MemberState{}, err
	}
	st := rules.MemberState{Member: rules.Member{ChatID: chatID, UserID: userID}}
	if len(rows) == 1 {
		st = rows[0].state()
	}
	if err := s.putCopies(ctx, []rules.MemberState{st}); err != nil {
		s.log.WarnContext(ctx, "store: member copy not written", "chat_id", chatID, "user_id", userID, "err", err)
	}
	return st, nil
}

// refreshCopies brings the copies of keys up to their rows after a commit.
// Redis being out of reach costs only staleness, which the next generation
// (startEpoch, the breaker's recovery) or copyTTL ends.
func (s *Store) refreshCopies(ctx context.Context, keys []memberKey) {
	rows, err := s.readMemberRows(ctx, keys)
	if err == nil {
		states := make([]rules.MemberState, len(rows))
		for i, r := range rows {
			states[i] = r.state()
		}
		err = s.putCopies(ctx, states)
	}
	if err != nil && !errors.Is(err, ErrRedisDown) {
		s.log.WarnContext(ctx, "store: member copies not refreshed", "members", len(keys), "err", err)
	}
}

func (w touched) keys() []memberKey {
	out := make([]memberKey, 0, len(w))
	for k := range w {
		out = append(out, k)
	}
	return out
}
