package handlers

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// loginFrom posts the log-in form from one client address.
func loginFrom(t *testing.T, h http.Handler, addr, token string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, loginPath, strings.NewReader(url.Values{"token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", browserAccept)
	req.RemoteAddr = addr
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *stepClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TestDashboardLoginThrottle: wrong tokens from one client address are
// answered with a growing wait once a few have failed; while it runs even the
// right token is refused, and the page says how long to wait. Other
// addresses are not affected; a success starts the count again.
func TestDashboardLoginThrottle(t *testing.T) {
	clock := &stepClock{t: now}
	h := New(Deps{AdminToken: adminToken, Admin: cannedAdmin(), Now: clock.now})
	const attacker, admin = "203.0.113.7:5000", "198.51.100.2:6000"

	for i := 1; i <= loginFreeAttempts; i++ {
		if w := loginFrom(t, h, attacker, "guess"); w.Code != http.StatusUnauthorized {
			t.Fatalf("wrong token %d = %d, want 401", i, w.Code)
		}
	}
	w := loginFrom(t, h, attacker, "guess")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "30" || !strings.Contains(w.Body.String(), "请30秒后再试") {
		t.Fatalf("wrong token past the free attempts = %d Retry-After %q, want 429 saying 30 秒: %s",
			w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	if w := loginFrom(t, h, attacker, adminToken); w.Code != http.StatusTooManyRequests || w.Header().Get("Set-Cookie") != "" {
		t.Errorf("right token during the wait = %d, want 429 and no cookie", w.Code)
	}
	if w := loginFrom(t, h, admin, "typo"); w.Code != http.StatusUnauthorized {
		t.Errorf("another address's wrong token = %d, want 401", w.Code)
	}
	if w := loginFrom(t, h, admin, adminToken); w.Code != http.StatusSeeOther {
		t.Errorf("another address's right token = %d, want 303", w.Code)
	}

	clock.add(30 * time.Second)
	w = loginFrom(t, h, attacker, "guess again")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "60" {
		t.Errorf("next wrong token after the wait = %d Retry-After %q, want 429 and the wait doubled to 60",
			w.Code, w.Header().Get("Retry-After"))
	}
	clock.add(time.Minute)
	if w := loginFrom(t, h, attacker, adminToken); w.Code != http.StatusSeeOther {
		t.Fatalf("right token after the wait = %d, want 303", w.Code)
	}
	if w := loginFrom(t, h, attacker, "typo"); w.Code != http.StatusUnauthorized {
		t.Errorf("a wrong token after a success = %d, want 401 (the count starts again)", w.Code)
	}
}
