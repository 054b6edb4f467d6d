package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/qunbot/qunbot/rules"
)

// The turns' first round trips to Redis (BeginTurn) share pipelines: a
// worker takes every turn waiting at that moment and sends their commands
// as one pipeline, so a burst of turns costs a few writes and reads on a
// connection instead of one each. It is the group commit's idea applied to
// Redis: the round trip, the system calls and the pool's connection check
// are paid per batch. Each turn reads its own commands' results and errors;
// a turn whose context ends first stops waiting (its commands may still
// run, as a redelivery's would).

// sharedPipeMax bounds one shared pipeline.
const sharedPipeMax = 128

// sharedPipeTimeout bounds a shared pipeline whose turns set no later
// deadline.
const sharedPipeTimeout = 5 * time.Second

// sharedPipeWorkers send pipelines side by side. One: while its pipeline
// waits for its answer the next gathers, so pipelines grow with the load; a
// second worker took most turns alone (1.5 turns a pipeline under qunbot
// bench) and, with two committers, cost a fifth more CPU per message.
const sharedPipeWorkers = 1

// errPipesClosed answers a turn that starts while the store closes.
var errPipesClosed = fmt.Errorf("store: the store is closing: %w", rules.ErrUnavailable)

type sharedPipes struct {
	rdb   redis.UniversalClient
	queue chan *pipeJob
	quit  chan struct{}
	wg    sync.WaitGroup
}

// pipeJob is one turn's commands: queue adds them to the shared pipeline.
type pipeJob struct {
	ctx   context.Context
	queue func(redis.Pipeliner)
	done  chan struct{}
}

func newSharedPipes(rdb redis.UniversalClient) *sharedPipes {
	p := &sharedPipes{rdb: rdb, queue: make(chan *pipeJob, 4*sharedPipeMax), quit: make(chan struct{})}
	for range sharedPipeWorkers {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.run()
		}()
	}
	return p
}

func (p *sharedPipes) close() error {
	close(p.quit)
	p.wg.Wait()
	return nil
}

// do queues the commands queue adds and returns once they were sent and
// answered (their results and errors are in the commands), or when ctx ends.
func (p *sharedPipes) do(ctx context.Context, queue func(redis.Pipeliner)) error {
	j := &pipeJob{ctx: ctx, queue: queue, done: make(chan struct{})}
	select {
	case p.queue <- j:
	case <-p.quit:
		return errPipesClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-j.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *sharedPipes) run() {
	for {
		var first *pipeJob
		select {
		case first = <-p.queue:
		case <-p.quit:
			return
		}
		p.send(gather(first, p.queue, sharedPipeMax))
	}
}

// send runs the batch's commands as one pipeline, under the latest of the
// turns' deadlines; a turn that already gave up is left out (a turn that gives
// up later only stops waiting in do).
func (p *sharedPipes) send(batch []*pipeJob) {
	latest, live := time.Now().Add(sharedPipeTimeout), batch[:0:0]
	pipe := p.rdb.Pipeline()
	for _, j := range batch {
		if j.ctx.Err() != nil {
			close(j.done)
			continue
		}
		if d, ok := j.ctx.Deadline(); ok && d.After(latest) {
			latest = d
		}
		j.queue(pipe)
		live = append(live, j)
	}
	if len(live) > 0 {
		ctx, cancel := context.WithDeadline(context.Background(), latest)
		_, _ = pipe.Exec(ctx) // each turn reads its own commands' errors
		cancel()
	}
	for _, j := range live {
		close(j.done)
	}
}
