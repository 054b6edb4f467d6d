package store

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// gate is a go-redis hook that counts pipelines and their commands, and
// holds every pipeline until released.
type gate struct {
	pipelines atomic.Int32
	cmds      atomic.Int32
	held      chan struct{}
	release   chan struct{}
}

func (g *gate) DialHook(next redis.DialHook) redis.DialHook          { return next }
func (g *gate) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }
func (g *gate) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		g.cmds.Add(int32(len(cmds)))
		if g.pipelines.Add(1) == 1 {
			close(g.held)
		}
		<-g.release
		return next(ctx, cmds)
	}
}

// gatedPipes is shared pipelines to a fresh Redis through a gate.
func gatedPipes(t *testing.T) (*miniredis.Miniredis, *gate, *sharedPipes) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	g := &gate{held: make(chan struct{}), release: make(chan struct{})}
	rdb.AddHook(g)
	p := newSharedPipes(rdb)
	t.Cleanup(func() { _ = p.close(); _ = rdb.Close() })
	return mr, g, p
}

// Turns that wait while a pipeline is out share the next ones, and each
// reads its own answers.
func TestTurnsShareRedisPipelines(t *testing.T) {
	mr, g, p := gatedPipes(t)

	ctx := context.Background()
	first := make(chan error, 1)
	go func() { first <- p.do(ctx, func(pipe redis.Pipeliner) { pipe.Ping(ctx) }) }()
	<-g.held // the first pipeline is out; every later turn queues

	const turns = 50
	var wg sync.WaitGroup
	got := make([]string, turns)
	for i := range turns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var cmd *redis.IntCmd
			if err := p.do(ctx, func(pipe redis.Pipeliner) { cmd = pipe.Incr(ctx, "k"+string(rune('a'+i%26))) }); err != nil {
				t.Error(err)
				return
			}
			got[i] = cmd.String()
		}()
	}
	// Wait until every turn is either queued or in the second worker's
	// pipeline, held like the first.
	for g.pipelines.Load() < sharedPipeWorkers || len(p.queue)+int(g.cmds.Load())-1 < turns {
		time.Sleep(time.Millisecond)
	}
	close(g.release)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	// One pipeline each would be 51; shared, the two held ones and then a
	// few gathered by the workers as they come free.
	if n := g.pipelines.Load(); n > 3*sharedPipeWorkers {
		t.Errorf("%d pipelines for 51 turns, want at most %d", n, 3*sharedPipeWorkers)
	}
	total := 0
	for c := 'a'; c <= 'z'; c++ {
		v, _ := mr.Get("k" + string(c))
		n := 0
		for _, d := range v {
			n = n*10 + int(d-'0')
		}
		total += n
	}
	if total != turns {
		t.Errorf("the counters add up to %d, want %d: each turn's command runs once", total, turns)
	}
	for i, s := range got {
		if s == "" {
			t.Errorf("turn %d read no answer", i)
		}
	}
}

// A turn that gave up before its pipeline went out sends nothing.
func TestGivenUpTurnSendsNothing(t *testing.T) {
	mr, g, p := gatedPipes(t)
	ctx := context.Background()
	blockers := make(chan error, sharedPipeWorkers)
	for i := range sharedPipeWorkers { // keep every worker busy, one held pipeline each
		go func() { blockers <- p.do(ctx, func(pipe redis.Pipeliner) { pipe.Ping(ctx) }) }()
		for g.pipelines.Load() < int32(i+1) {
			time.Sleep(time.Millisecond)
		}
	}
	gone, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.do(gone, func(pipe redis.Pipeliner) { pipe.Set(ctx, "late", "1", 0) }) }()
	for len(p.queue) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err == nil {
		t.Fatal("a turn whose context ended was answered as if sent")
	}
	close(g.release)
	for range sharedPipeWorkers {
		if err := <-blockers; err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(50 * time.Millisecond)
	if mr.Exists("late") {
		t.Error("the commands of a turn that gave up were sent")
	}
}
