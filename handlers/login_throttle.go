package handlers

import (
	"sync"
	"time"
)

// The dashboard log-in form is the one place a guessed token gets an answer
// without a bearer header, so wrong tokens are throttled per client address
// (the connection's; X-Forwarded-For is not trusted, since anyone can send
// it): loginFreeAttempts wrong tokens are answered at once, each further one
// starts a wait, loginFirstWait doubling up to loginMaxWait, during which
// every attempt from that address, right or wrong, is refused with 429 and
// told how long is left. A success starts the count again; an address quiet
// for loginForget is forgotten.
const (
	loginFreeAttempts = 5
	loginFirstWait    = 30 * time.Second
	loginMaxWait      = time.Hour
	loginForget       = 24 * time.Hour
	// loginMaxTracked bounds the memory the throttle holds.
	loginMaxTracked = 10000
)

type loginThrottle struct {
	now func() time.Time

	mu     sync.Mutex
	byAddr map[string]*loginRecord
}

type loginRecord struct {
	failures int
	until    time.Time // refused until then
	last     time.Time // the last failure
}

func newLoginThrottle(now func() time.Time) *loginThrottle {
	return &loginThrottle{now: now, byAddr: map[string]*loginRecord{}}
}

// wait is how long addr must still wait before it may try; 0 when it may.
func (l *loginThrottle) wait(addr string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if r, ok := l.byAddr[addr]; ok {
		return max(r.until.Sub(l.now()), 0)
	}
	return 0
}

// failed records a wrong token from addr and returns the wait it starts (0
// while free attempts remain).
func (l *loginThrottle) failed(addr string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	r, ok := l.byAddr[addr]
	if !ok || now.Sub(r.last) > loginForget {
		l.makeRoom(now)
		r = &loginRecord{}
		l.byAddr[addr] = r
	}
	r.failures++
	r.last = now
	over := r.failures - loginFreeAttempts
	if over <= 0 {
		return 0
	}
	wait := loginMaxWait
	if over <= 20 { // beyond that the shift would pass loginMaxWait anyway
		wait = min(loginFirstWait<<(over-1), loginMaxWait)
	}
	r.until = now.Add(wait)
	return wait
}

// succeeded forgets addr's failures.
func (l *loginThrottle) succeeded(addr string) {
	l.mu.Lock()
	delete(l.byAddr, addr)
	l.mu.Unlock()
}

// makeRoom drops forgotten addresses when the table is full, and any one
// address if none is (an attacker with that many addresses gains little).
func (l *loginThrottle) makeRoom(now time.Time) {
	if len(l.byAddr) < loginMaxTracked {
		return
	}
	for addr, r := range l.byAddr {
		if now.Sub(r.last) > loginForget && now.After(r.until) {
			delete(l.byAddr, addr)
		}
	}
	for addr := range l.byAddr {
		if len(l.byAddr) < loginMaxTracked {
			return
		}
		delete(l.byAddr, addr)
	}
}
