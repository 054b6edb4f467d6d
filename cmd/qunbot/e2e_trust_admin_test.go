package main

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestAdminTokenNeverLogged: a token in a query string is refused and the
// admin token never reaches a log line of the running service.
func TestAdminTokenNeverLogged(t *testing.T) {
	var logs syncBuffer
	h := newHarness(t, withLogs(&logs))
	for _, path := range []string{"/api/v1/groups?token=" + testAdminToken, "/api/v1/groups/G1/modlog?access_token=" + testAdminToken} {
		res, err := http.Get(h.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s = %d %s, want 400", path, res.StatusCode, body)
		}
	}
	if status, _ := h.get("/api/v1/groups"); status != http.StatusOK {
		t.Errorf("bearer = %d, want 200", status)
	}
	if strings.Contains(logs.String(), testAdminToken) {
		t.Errorf("the admin token reached the log:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "/api/v1/groups") {
		t.Errorf("the requests were not logged at all:\n%s", logs.String())
	}
}

// TestDashboardLoginIsThrottled: wrong tokens at /dashboard/login from one
// address meet a growing wait, and the page says so.
func TestDashboardLoginIsThrottled(t *testing.T) {
	h := newHarness(t)
	client := h.srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	post := func(token string) (int, string) {
		res, err := client.PostForm(h.srv.URL+"/dashboard/login", url.Values{"token": {token}})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	var status int
	var body string
	for i := 0; i < 6; i++ {
		status, body = post("guess")
	}
	if status != http.StatusTooManyRequests || !strings.Contains(body, "秒后再试") {
		t.Fatalf("sixth wrong token = %d %s, want 429 saying how long to wait", status, body)
	}
	if status, _ = post(testAdminToken); status != http.StatusTooManyRequests {
		t.Errorf("right token during the wait = %d, want 429", status)
	}
	h.advance(30 * 1e9)
	if status, _ = post(testAdminToken); status != http.StatusSeeOther {
		t.Errorf("right token after the wait = %d, want 303", status)
	}
}
