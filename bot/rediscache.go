package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/cache"
)

// redisOpTimeout bounds the context-free methods of cache.Cache.
const redisOpTimeout = 3 * time.Second

// redisTokenCache adapts silenceper's cache.Cache onto go-redis v9, which
// silenceper's own Redis cache (go-redis v8) does not accept. Values are
// stored as strings; access tokens are strings.
type redisTokenCache struct {
	rdb redis.UniversalClient
}

var _ cache.ContextCache = redisTokenCache{}

// NewRedisTokenCache stores access tokens in Redis so every replica shares
// one token (and one gettoken call per expiry).
func NewRedisTokenCache(rdb redis.UniversalClient) cache.Cache {
	return redisTokenCache{rdb: rdb}
}

func background() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), redisOpTimeout)
}

func (r redisTokenCache) Get(key string) any {
	ctx, cancel := background()
	defer cancel()
	return r.GetContext(ctx, key)
}

func (r redisTokenCache) Set(key string, val any, timeout time.Duration) error {
	ctx, cancel := background()
	defer cancel()
	return r.SetContext(ctx, key, val, timeout)
}

func (r redisTokenCache) IsExist(key string) bool {
	ctx, cancel := background()
	defer cancel()
	return r.IsExistContext(ctx, key)
}

func (r redisTokenCache) Delete(key string) error {
	ctx, cancel := background()
	defer cancel()
	return r.DeleteContext(ctx, key)
}

// GetContext returns the string stored at key, or nil when it is missing or
// Redis fails (a miss makes the caller fetch a fresh token).
func (r redisTokenCache) GetContext(ctx context.Context, key string) any {
	v, err := r.rdb.Get(ctx, key).Result()
	if err != nil {
		return nil
	}
	return v
}

func (r redisTokenCache) SetContext(ctx context.Context, key string, val any, timeout time.Duration) error {
	s, ok := val.(string)
	if !ok {
		s = fmt.Sprint(val)
	}
	if err := r.rdb.Set(ctx, key, s, timeout).Err(); err != nil {
		return fmt.Errorf("bot: redis token cache set: %w", err)
	}
	return nil
}

func (r redisTokenCache) IsExistContext(ctx context.Context, key string) bool {
	n, err := r.rdb.Exists(ctx, key).Result()
	return err == nil && n > 0
}

func (r redisTokenCache) DeleteContext(ctx context.Context, key string) error {
	if err := r.rdb.Del(ctx, key).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("bot: redis token cache delete: %w", err)
	}
	return nil
}
