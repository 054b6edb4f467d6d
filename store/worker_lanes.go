package store

import (
	"context"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// lanes is Run's dispatcher. A lane delivers the due rows of one destination
// (see destination) one after another, oldest first, so a destination's
// posts keep their order and its rate limits are met in order; lanes run
// side by side, at most MaxInFlight at once, so a destination whose calls
// hang or fail (a webhook that times out, a response_url host that is down)
// holds up only itself. Rate limits are shared as before: takeSlot is one
// atomic script in Redis whichever lane or replica calls it. A lane claims,
// leases and settles each row with process, exactly as RunOnce does, so
// across replicas a row is still delivered by one worker at a time, and a row
// waiting in a lane behind a slow call is not leased until its turn.
type lanes struct {
	w     *Worker
	slots chan struct{} // one per running lane
	wake  chan struct{} // a lane ended: scan again
	wg    sync.WaitGroup
	// troubled is set by a lane that stopped on database or Redis trouble:
	// the next scan then waits a poll instead of coming at once.
	troubled atomic.Bool

	mu   sync.Mutex
	busy map[string]bool // destinations with a running lane
}

func newLanes(w *Worker) *lanes {
	return &lanes{w: w, slots: make(chan struct{}, w.o.MaxInFlight), wake: make(chan struct{}, 1), busy: map[string]bool{}}
}

// run scans and dispatches until ctx ends, then waits for its lanes (their
// calls end with ctx) and returns nil.
func (l *lanes) run(ctx context.Context) error {
	defer l.wg.Wait()
	for {
		n, err := l.dispatch(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			l.w.o.Log.WarnContext(ctx, "store: outbox scan failed", "err", err)
		}
		if n == outboxBatch && err == nil && !l.troubled.Swap(false) {
			continue // more may be due right now
		}
		t := time.NewTimer(l.w.o.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-l.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// dispatch lists due rows of destinations without a running lane and starts
// a lane for each destination, waiting for a free slot when all are taken.
// It returns how many rows it listed.
func (l *lanes) dispatch(ctx context.Context) (int, error) {
	l.mu.Lock()
	skip := slices.Sorted(maps.Keys(l.busy))
	l.mu.Unlock()
	rows, err := l.w.s.dueOutbox(ctx, l.w.o.Now(), outboxBatch, l.w.notMine(), skip)
	if err != nil {
		return 0, err
	}
	var order []string
	byDest := map[string][]int64{}
	for _, r := range rows {
		if byDest[r.Dest] == nil {
			order = append(order, r.Dest)
		}
		byDest[r.Dest] = append(byDest[r.Dest], r.ID)
	}
	for _, dest := range order {
		select {
		case l.slots <- struct{}{}:
		case <-ctx.Done():
			return len(rows), nil
		}
		l.mu.Lock()
		l.busy[dest] = true
		l.mu.Unlock()
		l.wg.Add(1)
		go l.lane(ctx, dest, byDest[dest])
	}
	return len(rows), nil
}

// lane delivers ids, all to dest, in order, then wakes the scan. Database
// or Redis trouble ends it without waking the scan: the rows left are listed
// again after a poll.
func (l *lanes) lane(ctx context.Context, dest string, ids []int64) {
	defer l.wg.Done()
	err := l.deliver(ctx, dest, ids)
	l.mu.Lock()
	delete(l.busy, dest)
	l.mu.Unlock()
	<-l.slots
	if err != nil {
		l.troubled.Store(true)
		return
	}
	select {
	case l.wake <- struct{}{}:
	default: // a scan is due already
	}
}

func (l *lanes) deliver(ctx context.Context, dest string, ids []int64) error {
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := l.w.process(ctx, id); err != nil {
			if ctx.Err() == nil {
				l.w.o.Log.WarnContext(ctx, "store: outbox lane stopped", "dest", dest, "outbox_id", id, "err", err)
			}
			return err
		}
	}
	return nil
}
