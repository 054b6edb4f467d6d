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

// The group committer writes the journals of hot turns (rules/hot.go).
// Turns hand their journal to Commit and wait. A worker takes every journal
// waiting at that moment (up to maxBatch) and writes them in one transaction
// with one multi-row statement per table; when it commits, every turn in the
// batch is answered. While one batch commits the next gathers, so batches
// grow with the load and a burst costs a few commits instead of one each.
//
// A batch fails as a whole. Then:
//   - a unique key broken by deliveries already recorded (a redelivery that
//     raced its original to the database) answers those rules.ErrDuplicate,
//     and the rest run again;
//   - a deadlock or lock wait is retried;
//   - any other unique key broken (a check-in or a ledger row another replica
//     wrote first) splits the batch: each journal is written alone, and the
//     one that breaks the key alone is answered rules.ErrConflict, to be
//     decided again on the transactional path;
//   - anything else fails the batch's turns, which have recorded nothing.

const (
	// maxBatch bounds one transaction: its statements stay well under both
	// databases' placeholder limits, and its locks short.
	maxBatch = 256
	// commitTimeout bounds one batch, retries included; a hung database
	// fails its turns instead of holding them.
	commitTimeout = 10 * time.Second
	// commitAttempts bounds the retries of a batch.
	commitAttempts = 5
)

type committer struct {
	queue chan *pendingCommit
	quit  chan struct{}
	wg    sync.WaitGroup
}

// pendingCommit is one turn waiting for its journal to be written.
type pendingCommit struct {
	j    *rules.Journal
	done chan error
}

// startCommitter starts the worker. One: while its batch is in flight the
// next one gathers in the queue, and on MySQL a batch is one round trip
// (commit_script.go). Two workers, each writing half as many turns a batch,
// cost MySQL twice the commits and fsyncs and the bot more wake-ups: under
// qunbot bench on two cores, a fifth more CPU per message for no more
// messages (BENCHMARKS.md). SQLite has one writer anyway.
func (s *Store) startCommitter() {
	c := &committer{queue: make(chan *pendingCommit, 4*maxBatch), quit: make(chan struct{})}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		s.runCommits(c)
	}()
	s.commits = c
	s.res.closers = append(s.res.closers, func() error {
		close(c.quit)
		c.wg.Wait()
		return nil
	})
}

// Commit writes j in the next batch and returns once that batch committed
// or failed. When ctx ends first the turn is answered rules.ErrUnavailable
// (its delivery will be retried) while the batch may still commit: the
// retry then finds the delivery recorded and gets its stored reply.
func (s *Store) Commit(ctx context.Context, j *rules.Journal) error {
	p := &pendingCommit{j: j, done: make(chan error, 1)}
	select {
	case s.commits.queue <- p:
	case <-s.commits.quit:
		return fmt.Errorf("store: commit %s: the store is closing: %w", j.EventID, rules.ErrUnavailable)
	case <-ctx.Done():
		return fmt.Errorf("store: commit %s: %w: %w", j.EventID, rules.ErrUnavailable, ctx.Err())
	}
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("store: commit %s: %w: %w", j.EventID, rules.ErrUnavailable, ctx.Err())
	}
}

func (s *Store) runCommits(c *committer) {
	for {
		var first *pendingCommit
		select {
		case first = <-c.queue:
		case <-c.quit:
			s.drainCommits(c)
			return
		}
		s.commitBatch(gather(first, c.queue, maxBatch))
	}
}

// gather returns first and whatever else is waiting in queue at this
// moment, up to limit in all: the batch a group commit or a shared pipeline
// takes. Under load batches grow by themselves; alone, a turn goes at once.
func gather[T any](first T, queue <-chan T, limit int) []T {
	batch := []T{first}
	for len(batch) < limit {
		select {
		case next := <-queue:
			batch = append(batch, next)
		default:
			return batch
		}
	}
	return batch
}

// drainCommits writes what was handed over before the store closed.
func (s *Store) drainCommits(c *committer) {
	for {
		select {
		case p := <-c.queue:
			s.commitBatch([]*pendingCommit{p})
		default:
			return
		}
	}
}

// commitBatch writes a batch and answers each of its turns.
func (s *Store) commitBatch(batch []*pendingCommit) {
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	live := batch
	for attempt := 1; len(live) > 0; attempt++ {
		states, err := s.writeBatch(ctx, live)
		switch {
		case err == nil:
			s.afterBatch(ctx, live, states)
			answer(live, nil)
			return
		case isRetryable(err) && attempt < commitAttempts:
			if sleepCtx(ctx, retryDelay(attempt)) == nil {
				continue
			}
		case isUnique(err):
			dups, lookErr := s.recordedDeliveries(ctx, live)
			if lookErr != nil {
				err = lookErr
				break
			}
			if len(dups.ids) == 0 {
				s.settleConflict(live)
				return
			}
			if attempt < commitAttempts {
				live = dups.answer(live)
				continue
			}
		}
		answer(live, fmt.Errorf("store: commit %d turns: %w", len(live), unavailable(err)))
		return
	}
}

// settleConflict handles a batch that broke a unique key other than its
// deliveries': each journal is written alone, and the one that breaks the
// key alone is answered rules.ErrConflict.
func (s *Store) settleConflict(batch []*pendingCommit) {
	if len(batch) == 1 {
		answer(batch, fmt.Errorf("store: commit %s: %w", batch[0].j.EventID, rules.ErrConflict))
		return
	}
	for _, p := range batch {
		s.commitBatch([]*pendingCommit{p})
	}
}

func answer(batch []*pendingCommit, err error) {
	for _, p := range batch {
		p.done <- err
	}
}

// duplicatesError names the deliveries of a batch that were recorded before.
type duplicatesError struct{ ids map[string]bool }

func (e duplicatesError) Error() string {
	return fmt.Sprintf("store: %d deliveries already recorded", len(e.ids))
}

// answer answers the duplicates and returns the rest of batch.
func (e duplicatesError) answer(batch []*pendingCommit) []*pendingCommit {
	rest := batch[:0:0]
	for _, p := range batch {
		if e.ids[p.j.EventID] {
			p.done <- rules.ErrDuplicate
			continue
		}
		rest = append(rest, p)
	}
	return rest
}

// afterBatch brings the Redis copies of the batch's members up to the rows
// just written, puts each turn's reply in its claim and moves the
// leaderboards, in one round trip. Redis being out of reach costs only
// staleness (member_copy.go, leaderboard.go).
func (s *Store) afterBatch(ctx context.Context, batch []*pendingCommit, states []rules.MemberState) {
	pipe := s.rdb.Pipeline()
	w := redisWrites{s: s}
	for _, st := range states {
		w.copy(st)
	}
	for _, p := range batch {
		if s.localClaims != nil {
			s.localClaims.answer(p.j.EventID, p.j.Reply)
		} else {
			pipe.Set(ctx, s.keys.claim(p.j.EventID), claimAnswered+p.j.Reply, claimTTL)
		}
		for _, b := range p.j.Boards {
			w.earned(b.ChatID, b.UserID, b.Delta, b.Boards)
		}
	}
	w.queue(ctx, pipe)
	_, err := pipe.Exec(ctx)
	if err != nil && !errors.Is(err, ErrRedisDown) && !errors.Is(err, redis.Nil) {
		s.log.WarnContext(ctx, "store: copies after a group commit", "turns", len(batch), "err", err)
	}
}
