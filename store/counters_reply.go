package store

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// takeCooldown is atomic across replicas: the key holds the end of the
// cooldown in unix ms (by the caller's clock, which tests inject); a take
// succeeds when there is none or it has passed. The TTL only cleans up.
var takeCooldown = redis.NewScript(`
local deadline = tonumber(redis.call('GET', KEYS[1]) or '0')
if deadline > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`)

// TakeReplyCooldown reports whether the keyword rule may answer in chatID at
// now and, if so, starts its cooldown until now+d.
func (s *Store) TakeReplyCooldown(ctx context.Context, chatID, rule string, now time.Time, d time.Duration) (bool, error) {
	sum := sha1.Sum([]byte(rule)) // any regex makes a short key
	key := s.keys.replyCooldown(chatID, hex.EncodeToString(sum[:8]))
	ttl := (d + time.Minute).Milliseconds() // the value decides; the TTL only cleans up
	n, err := takeCooldown.Run(ctx, s.rdb, []string{key}, now.UnixMilli(), now.Add(d).UnixMilli(), ttl).Int()
	if err != nil {
		return false, fmt.Errorf("store: reply cooldown %s in %s: %w", rule, chatID, err)
	}
	return n == 1, nil
}
