package handlers

import (
	"testing"
	"time"
)

func TestRunnersNeverQueueAJobBehindAnother(t *testing.T) {
	r := newRunners()
	release := make(chan struct{})
	defer close(release)
	for range 3 {
		r.run(func() { <-release })
	}
	done := make(chan struct{})
	r.run(func() { close(done) })
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a job waited behind three running ones")
	}
	if n := r.started.Load(); n != 4 {
		t.Errorf("%d runners started for four jobs at once, want 4", n)
	}
}

func TestRunnersReuseAnIdleRunner(t *testing.T) {
	r := newRunners()
	for i := range 20 {
		done := make(chan struct{})
		job := func() { close(done) }
		if i == 0 {
			r.run(job)
		} else {
			// The runner that ran the last job comes back for the next.
			deadline := time.After(5 * time.Second)
		wait:
			for {
				select {
				case r.jobs <- job:
					break wait
				case <-deadline:
					t.Fatalf("job %d: no runner came back for it", i)
				}
			}
		}
		<-done
	}
	if n := r.started.Load(); n != 1 {
		t.Errorf("%d runners started for 20 jobs one after another, want 1", n)
	}
}
