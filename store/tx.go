package store

import (
	"context"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"github.com/qunbot/qunbot/rules"
)

// txAttempts is how often Atomic runs fn when the database asks for a retry
// (deadlock, lock wait timeout, busy).
const txAttempts = 5

// Atomic runs fn in one transaction, retrying the whole of it on a deadlock,
// a lock wait timeout or a busy SQLite. fn's own errors are returned as they
// are (errors.Is(err, rules.ErrDuplicate) keeps working). Called on a Store
// that is already in a transaction, fn joins that transaction.
func (s *Store) Atomic(ctx context.Context, fn func(tx rules.Tx) error) error {
	if s.inTx {
		return fn(s)
	}
	var err error
	var written touched
	for attempt := 1; ; attempt++ {
		written = touched{}
		err = s.q(ctx).Transaction(func(tx *gorm.DB) error {
			b := s.bind(tx)
			b.touched = written
			return fn(b)
		})
		if !isRetryable(err) || attempt == txAttempts {
			break
		}
		if werr := sleepCtx(ctx, retryDelay(attempt)); werr != nil {
			break
		}
	}
	if err == nil && len(written) > 0 {
		s.refreshCopies(context.WithoutCancel(ctx), written.keys())
	}
	return unavailable(err)
}

// retryDelay is a short jittered pause so racing transactions spread out.
func retryDelay(attempt int) time.Duration {
	base := time.Duration(attempt) * 10 * time.Millisecond
	return base + rand.N(base)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
