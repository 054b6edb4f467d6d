package handlers

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"
)

// heldPost starts a POST of a size-byte body that stops after its first
// byte, so the server holds its budget until release is called; done yields
// the answer's status.
func heldPost(t *testing.T, f *fixture, size int64) (release func(), done <-chan int) {
	t.Helper()
	pr, pw := io.Pipe()
	req, err := http.NewRequest(http.MethodPost, f.srv.URL+"/wecom/aibot?msg_signature=bogus&timestamp=1&nonce=2", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = size
	ch := make(chan int, 1)
	go func() {
		res, err := f.srv.Client().Do(req)
		if err != nil {
			ch <- 0
			return
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		ch <- res.StatusCode
	}()
	if _, err := pw.Write([]byte("{")); err != nil {
		t.Fatal(err)
	}
	return func() {
		pw.Write(bytes.Repeat([]byte(" "), int(size-1)))
		pw.Close()
	}, ch
}

// waitFor polls cond until it holds; a condition, not a duration, is what
// the test asserts.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// TestBodyMemoryIsBounded: the bytes held by callback bodies in flight are
// bounded; past the budget a callback is answered 503 with Retry-After
// before its body is read, and the budget comes back when bodies are done.
func TestBodyMemoryIsBounded(t *testing.T) {
	const mib = 1 << 20
	f := newFixture(t, func(d *Deps) { d.BodyBudget = 2 * mib })
	gauge := func() float64 {
		mfs, err := f.reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			if mf.GetName() == "qunbot_callback_body_bytes_in_flight" {
				return mf.GetMetric()[0].GetGauge().GetValue()
			}
		}
		return -1
	}
	var releases []func()
	var answers []<-chan int
	for range 2 {
		release, done := heldPost(t, f, mib)
		releases, answers = append(releases, release), append(answers, done)
	}
	waitFor(t, "two bodies to hold the whole budget", func() bool { return gauge() == 2*mib })

	for _, size := range []int{mib, 1000} {
		res := f.do(t, http.MethodPost, "/wecom/aibot?msg_signature=bogus&timestamp=1&nonce=2", bytes.Repeat([]byte("x"), size))
		if res.status != http.StatusServiceUnavailable || res.header.Get("Retry-After") == "" {
			t.Errorf("a %d-byte body past the budget = %d (Retry-After %q), want 503 with Retry-After",
				size, res.status, res.header.Get("Retry-After"))
		}
	}
	for i, release := range releases {
		release()
		if status := <-answers[i]; status != http.StatusBadRequest && status != http.StatusUnauthorized {
			t.Errorf("held body %d = %d, want its normal refusal (400/401)", i, status)
		}
	}
	waitFor(t, "the budget to come back", func() bool { return gauge() == 0 })
	res := f.do(t, http.MethodPost, "/wecom/aibot?msg_signature=bogus&timestamp=1&nonce=2", []byte(`{"encrypt":"AAAA"}`))
	if res.status != http.StatusUnauthorized {
		t.Errorf("a callback once the budget is back = %d, want 401", res.status)
	}
	if f.decider.calls() != 0 {
		t.Errorf("decider calls = %d, want 0", f.decider.calls())
	}
}
