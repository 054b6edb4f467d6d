package store

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// takeCooldown is atomic across replicas: the key holds the end of the
// cooldown in unix ms (by the caller's clock, which tests inject); a take
// succeeds when there is none or it has passed. The TTL only cleans up. It
// answers {1, the new end} or {0, the end that holds}.
var takeCooldown = redis.NewScript(`
local deadline = tonumber(redis.call('GET', KEYS[1]) or '0')
if deadline > tonumber(ARGV[1]) then return {0, deadline} end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return {1, tonumber(ARGV[2])}`)

// TakeReplyCooldown reports whether the keyword rule may answer in chatID at
// now and, if so, starts its cooldown until now+d. A cooldown this process
// saw running answers without Redis: its end only ever moves later.
func (s *Store) TakeReplyCooldown(ctx context.Context, chatID, rule string, now time.Time, d time.Duration) (bool, error) {
	sum := sha1.Sum([]byte(rule)) // any regex makes a short key
	key := s.keys.replyCooldown(chatID, hex.EncodeToString(sum[:8]))
	if s.cooldowns.running(key, now.UnixMilli()) {
		return false, nil
	}
	ttl := (d + time.Minute).Milliseconds() // the value decides; the TTL only cleans up
	res, err := takeCooldown.Run(ctx, s.rdb, []string{key}, now.UnixMilli(), now.Add(d).UnixMilli(), ttl).Int64Slice()
	if err == nil && len(res) != 2 {
		err = fmt.Errorf("unexpected answer %v", res)
	}
	if err != nil {
		return false, fmt.Errorf("store: reply cooldown %s in %s: %w", rule, chatID, err)
	}
	s.cooldowns.saw(key, res[1])
	return res[0] == 1, nil
}

// cooldownsMax bounds the cooldown ends remembered; past it they are
// forgotten at once (a forgotten end costs one script call).
const cooldownsMax = 1 << 14

// cooldownEnds are the ends of reply cooldowns this process saw, by key.
type cooldownEnds struct {
	mu  sync.Mutex
	end map[string]int64 // unix ms
}

func (c *cooldownEnds) running(key string, nowMs int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.end[key] > nowMs
}

func (c *cooldownEnds) saw(key string, endMs int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.end == nil || len(c.end) >= cooldownsMax {
		c.end = make(map[string]int64)
	}
	if endMs > c.end[key] {
		c.end[key] = endMs
	}
}
