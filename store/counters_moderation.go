package store

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// hitWindow records one hit (ms score, member = hit id, so recording it again
// changes nothing), forgets hits older than the window and returns the count.
var hitWindow = redis.NewScript(`
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return redis.call('ZCARD', KEYS[1])
`)

// HitWindow counts a member's hits for scope (flood, repeat:<hash>) within per.
func (s *Store) HitWindow(ctx context.Context, chatID, userID, scope, id string, at time.Time, per time.Duration) (int, error) {
	key := s.keys.modWindow(chatID, userID, scope)
	n, err := hitWindow.Run(ctx, s.rdb, []string{key}, at.UnixMilli(), id, per.Milliseconds()).Int()
	if err != nil {
		return 0, fmt.Errorf("store: moderation window %s: %w", scope, err)
	}
	return n, nil
}

// ClearWindow starts a member's window for scope over.
func (s *Store) ClearWindow(ctx context.Context, chatID, userID, scope string) error {
	if err := s.rdb.Del(ctx, s.keys.modWindow(chatID, userID, scope)).Err(); err != nil {
		return fmt.Errorf("store: clear moderation window %s: %w", scope, err)
	}
	return nil
}
