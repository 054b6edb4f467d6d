package store

import (
	"context"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/qunbot/qunbot/rules"
)

// applyWrites makes a group commit's Redis writes in one script call: each
// member copy put only over an older one (its meter kept when ahead of the
// row's, see member_copy.go), and each leaderboard increment made on the
// boards whose ready marker exists (a lost board is left for the rebuild,
// leaderboard.go). One call per batch instead of one per write matters most
// on the embedded Redis, where every script call builds a Lua interpreter.
//
// KEYS: the copies, then the boards' (set, ready marker) pairs.
// ARGV: copies count, ttl (ms); per copy: version, the row's meter last (ms
// or ""), field count, fields…; increments count; per increment: member,
// delta, board count (its pairs follow in KEYS, in order).
var applyWrites = redis.NewScript(`
local n, ttl, a = tonumber(ARGV[1]), ARGV[2], 3
for i = 1, n do
  local key, version, rowml, nf = KEYS[i], tonumber(ARGV[a]), ARGV[a+1], tonumber(ARGV[a+2])
  local cur = redis.call('HGET', key, 'v')
  if not (cur and tonumber(cur) >= version) then
    local md, mc = redis.call('HGET', key, 'md'), redis.call('HGET', key, 'mc')
    local ml = redis.call('HGET', key, 'ml') or ''
    redis.call('DEL', key)
    redis.call('HSET', key, unpack(ARGV, a+3, a+2+nf))
    if ml ~= '' and (rowml == '' or tonumber(ml) > tonumber(rowml)) then
      redis.call('HSET', key, 'md', md, 'mc', mc, 'ml', ml)
    end
    redis.call('PEXPIRE', key, ttl)
  end
  a = a + 3 + nf
end
local k, m = n + 1, tonumber(ARGV[a])
a = a + 1
for i = 1, m do
  local member, delta, boards = ARGV[a], ARGV[a+1], tonumber(ARGV[a+2])
  a = a + 3
  for j = 1, boards do
    if redis.call('EXISTS', KEYS[k+1]) == 1 then
      redis.call('ZINCRBY', KEYS[k], delta, member)
    end
    k = k + 2
  end
end
return 0`)

// redisWrites gathers the writes of one applyWrites call.
type redisWrites struct {
	s                   *Store
	copyKeys, boardKeys []string
	copyArgs, boardArgs []any
	increments          int
}

// copy adds the put of a member's copy.
func (w *redisWrites) copy(st rules.MemberState) {
	fields := encodeCopy(st)
	w.copyKeys = append(w.copyKeys, w.s.copyKey(st.Member.ChatID, st.Member.UserID))
	w.copyArgs = append(w.copyArgs, st.Version, msOf(st.Meter.Last), len(fields))
	w.copyArgs = append(w.copyArgs, fields...)
}

// earned adds a leaderboard increment.
func (w *redisWrites) earned(chatID, userID string, delta int, boards []rules.Board) {
	w.boardKeys = append(w.boardKeys, w.s.boardKeys(chatID, boards)...)
	w.boardArgs = append(w.boardArgs, userID, delta, len(boards))
	w.increments++
}

func (w *redisWrites) empty() bool { return len(w.copyKeys) == 0 && w.increments == 0 }

// queue adds the call to pipe.
func (w *redisWrites) queue(ctx context.Context, pipe redis.Pipeliner) {
	if w.empty() {
		return
	}
	keys := append(append([]string{}, w.copyKeys...), w.boardKeys...)
	args := append([]any{len(w.copyKeys), strconv.FormatInt(copyTTL.Milliseconds(), 10)}, w.copyArgs...)
	args = append(append(args, w.increments), w.boardArgs...)
	applyWrites.Eval(ctx, pipe, keys, args...)
}
