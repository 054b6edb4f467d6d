package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/qunbot/qunbot/bot"
)

// limit is one WeCom rate limit an action counts against.
type limit struct {
	key    string // limiter key, see keys.rate
	n      int
	window time.Duration
}

// WeCom's limits (PROTOCOL.md §2): 20 webhook posts/min per robot,
// appchat/update 100/hour (the documented safe floor), 30 app messages
// per minute to one member, and for the 智能机器人 long connection 30 a minute
// and 1000 an hour per chat, answers and posts together (LONGCONN.md §3).
func limitsFor(a bot.Action) []limit {
	switch a.Kind {
	case bot.ActAIBotSend:
		chat := aibotChat(a)
		return []limit{{key: "aibot:" + chat + ":m", n: 30, window: time.Minute},
			{key: "aibot:" + chat + ":h", n: 1000, window: time.Hour}}
	case bot.ActWebhookSend:
		return []limit{{key: rateKey(a), n: 20, window: time.Minute}}
	case bot.ActAppChatRemove:
		return []limit{{key: rateKey(a), n: 100, window: time.Hour}}
	case bot.ActAppMessage, bot.ActRemovalCard:
		to := slices.Clone(a.To)
		slices.Sort(to)
		var ls []limit
		for _, u := range slices.Compact(to) {
			ls = append(ls, limit{key: "message:" + u, n: 30, window: time.Minute})
		}
		return ls
	}
	return nil
}

// slidingWindow checks every key's log of send times (ms scores); if all have
// room it records the send in each and returns 0, else it returns how many ms
// until the fullest window frees a slot. Atomic, so replicas share limits.
var slidingWindow = redis.NewScript(`
local now = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  local n, window = tonumber(ARGV[1 + 2*i]), tonumber(ARGV[2 + 2*i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= n then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    wait = math.max(wait, tonumber(oldest[2]) + window - now)
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 + 2*i]))
end
return 0
`)

// takeSlot reserves a send under every limit of a, or says how long to wait.
// id must be unique per attempt.
func (s *Store) takeSlot(ctx context.Context, a bot.Action, id string, now time.Time) (time.Duration, error) {
	ls := limitsFor(a)
	if len(ls) == 0 {
		return 0, nil
	}
	keys := make([]string, len(ls))
	args := []any{now.UnixMilli(), id}
	for i, l := range ls {
		keys[i] = s.keys.rate(l.key)
		args = append(args, l.n, l.window.Milliseconds())
	}
	ms, err := slidingWindow.Run(ctx, s.rdb, keys, args...).Int64()
	if err != nil {
		return 0, fmt.Errorf("store: rate limit %s: %w", a.Kind, err)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// aibotChat is the chat an aibot_send_msg counts against: the group, or the
// member of a 1:1 chat.
func aibotChat(a bot.Action) string {
	if a.ChatID == "" && len(a.To) > 0 {
		return a.To[0]
	}
	return a.ChatID
}

// TakeChat reserves one long-connection answer to chat (a chatid, or a
// userid for a 1:1 chat) under the limit aibot_send_msg posts count against
// too, across replicas, or says how long to wait.
func (s *Store) TakeChat(ctx context.Context, chat string) (time.Duration, error) {
	return s.takeSlot(ctx, bot.Action{Kind: bot.ActAIBotSend, ChatID: chat}, "answer:"+newLeaseToken(), s.now())
}
