package store

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

// redisTokenCache adapts silenceper's cache.Cache (what bot.Client keeps its
// access token in) onto our go-redis v9 client, which silenceper's own Redis
// cache (go-redis v8) does not accept. Values are stored as strings; access
// tokens are strings. Names become keys through keys.go.
type redisTokenCache struct {
	rdb  redis.UniversalClient
	keys keys
}

var _ cache.ContextCache = redisTokenCache{}

// TokenCache keeps WeCom access tokens in Redis so every replica shares one
// token (and one gettoken call per expiry).
func (s *Store) TokenCache() cache.Cache {
	return redisTokenCache{rdb: s.rdb, keys: s.keys}
}

func tokenCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), redisOpTimeout)
}

func (r redisTokenCache) Get(key string) any {
	ctx, cancel := tokenCtx()
	defer cancel()
	return r.GetContext(ctx, key)
}

func (r redisTokenCache) Set(key string, val any, timeout time.Duration) error {
	ctx, cancel := tokenCtx()
	defer cancel()
	return r.SetContext(ctx, key, val, timeout)
}

func (r redisTokenCache) IsExist(key string) bool {
	ctx, cancel := tokenCtx()
	defer cancel()
	return r.IsExistContext(ctx, key)
}

func (r redisTokenCache) Delete(key string) error {
	ctx, cancel := tokenCtx()
	defer cancel()
	return r.DeleteContext(ctx, key)
}

// GetContext returns the string stored at key, or nil when it is missing or
// Redis fails (a miss makes the caller fetch a fresh token).
func (r redisTokenCache) GetContext(ctx context.Context, key string) any {
	v, err := r.rdb.Get(ctx, r.keys.token(key)).Result()
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
	if err := r.rdb.Set(ctx, r.keys.token(key), s, timeout).Err(); err != nil {
		return fmt.Errorf("store: token cache set: %w", err)
	}
	return nil
}

func (r redisTokenCache) IsExistContext(ctx context.Context, key string) bool {
	n, err := r.rdb.Exists(ctx, r.keys.token(key)).Result()
	return err == nil && n > 0
}

func (r redisTokenCache) DeleteContext(ctx context.Context, key string) error {
	if err := r.rdb.Del(ctx, r.keys.token(key)).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("store: token cache delete: %w", err)
	}
	return nil
}
