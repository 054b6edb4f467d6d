package store

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Lease is this process's claim on a named lease in Redis: at most one
// holder at a time, for a TTL it renews. The 智能机器人 long connection uses
// one so that only one replica connects. Each Lease has its own token, so two
// Leases of one name (two replicas) never mistake each other's claim.
type Lease struct {
	s     *Store
	key   string
	token string
}

// Lease returns a claim on the lease name (not yet acquired).
func (s *Store) Lease(name string) *Lease {
	return &Lease{s: s, key: s.keys.lease(name), token: newLeaseToken()}
}

// acquireLease takes the lease when free, or extends it when already ours.
var acquireLease = redis.NewScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
`)

var renewLease = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
`)

var releaseLease = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// Acquire takes the lease for ttl if nobody else holds it.
func (l *Lease) Acquire(ctx context.Context, ttl time.Duration) (bool, error) {
	return l.run(ctx, acquireLease, "acquire", ttl)
}

// Renew extends the lease by ttl; false when another holder has it (or it expired).
func (l *Lease) Renew(ctx context.Context, ttl time.Duration) (bool, error) {
	return l.run(ctx, renewLease, "renew", ttl)
}

// Release gives the lease up if it is still ours.
func (l *Lease) Release(ctx context.Context) error {
	_, err := l.run(ctx, releaseLease, "release", 0)
	return err
}

func (l *Lease) run(ctx context.Context, script *redis.Script, what string, ttl time.Duration) (bool, error) {
	n, err := script.Run(ctx, l.s.rdb, []string{l.key}, l.token, ttl.Milliseconds()).Int64()
	if err != nil {
		return false, fmt.Errorf("store: %s lease %s: %w", what, l.key, err)
	}
	return n == 1, nil
}
