package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/qunbot/qunbot/rules"
)

// ErrRedisDown is returned, without trying, for Redis calls made shortly
// after one found Redis unreachable.
var ErrRedisDown = fmt.Errorf("store: redis is unreachable: %w", rules.ErrUnavailable)

// redisCooldown is how long calls fail fast after Redis was found down;
// the first call after it tries again.
const redisCooldown = 5 * time.Second

// breaker is a go-redis hook that stops calling Redis for redisCooldown once
// a call finds it unreachable. Everything in Redis is optional (caches,
// windows, cooldowns, boards, limits), and callers go on without it; the
// breaker keeps a dead Redis from costing every turn its dial timeouts and
// retries, which would push callbacks past WeCom's 5 seconds.
type breaker struct {
	now       func() time.Time
	mu        sync.Mutex
	openUntil time.Time
	down      bool // a call found Redis unreachable and none has reached it since
	// onRecover runs when Redis answers again after being unreachable,
	// before the call that found it back returns (so a caller that read a
	// copy in that call sees the recovery); it must not block.
	onRecover func()
}

var _ redis.Hook = (*breaker)(nil)

func (b *breaker) DialHook(next redis.DialHook) redis.DialHook { return next }

func (b *breaker) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if b.open() {
			cmd.SetErr(ErrRedisDown)
			return ErrRedisDown
		}
		err := next(ctx, cmd)
		b.observe(ctx, err)
		return err
	}
}

func (b *breaker) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if b.open() {
			for _, c := range cmds {
				c.SetErr(ErrRedisDown)
			}
			return ErrRedisDown
		}
		err := next(ctx, cmds)
		b.observe(ctx, err)
		return err
	}
}

func (b *breaker) open() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.now().Before(b.openUntil)
}

// observe opens the breaker when err says Redis could not be reached: any
// failure but an answer from Redis (redis.Nil, a script error) or the
// caller's own cancellation.
func (b *breaker) observe(ctx context.Context, err error) {
	var reply redis.Error
	if err == nil || errors.As(err, &reply) {
		b.reached()
		return
	}
	if ctx.Err() != nil {
		return
	}
	b.mu.Lock()
	b.openUntil = b.now().Add(redisCooldown)
	b.down = true
	b.mu.Unlock()
}

// reached notes that Redis answered, and reports a recovery.
func (b *breaker) reached() {
	b.mu.Lock()
	recovered := b.down
	b.down = false
	b.mu.Unlock()
	if recovered && b.onRecover != nil {
		b.onRecover()
	}
}
