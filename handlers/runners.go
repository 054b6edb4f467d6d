package handlers

import (
	"sync/atomic"
	"time"
)

// runners run the decisions that may outlive their callback on goroutines
// that have run decisions before. A new goroutine's stack starts at 8 KiB
// and a decision grows it several times over, copying it each time: under
// qunbot bench that copying was 7% of the bot's CPU, one new goroutine per
// message. A runner that finishes waits runnerIdle for the next job, then
// exits; a job that finds no runner waiting starts one, so there is no bound
// and no queue: a job never waits behind another.
type runners struct {
	jobs    chan func() // unbuffered: a send succeeds only into a waiting runner
	started atomic.Int64
}

// runnerIdle is how long a runner waits for its next job.
const runnerIdle = 10 * time.Second

func newRunners() *runners { return &runners{jobs: make(chan func())} }

// run runs job on a waiting runner, or on a new one.
func (r *runners) run(job func()) {
	select {
	case r.jobs <- job:
	default:
		r.started.Add(1)
		go r.loop(job)
	}
}

func (r *runners) loop(job func()) {
	idle := time.NewTimer(runnerIdle)
	defer idle.Stop()
	for {
		job()
		idle.Reset(runnerIdle)
		select {
		case job = <-r.jobs:
		case <-idle.C:
			return
		}
	}
}
