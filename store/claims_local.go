package store

import (
	"sync"
	"time"
)

// localClaims hold the deliveries' claims in the process when Redis is the
// in-process one. The claims are then as local as they were in the
// in-process Redis (one process has them, and only it reads them), but a
// claim costs a map entry instead of a key there: no command to parse and
// run, and no key for that Redis's expiry to walk under the lock all its
// commands take. Claims expire in the order they were written, so expiring
// is a walk from the oldest, not over every claim. An answer does not
// restart a claim's time: it still ends claimTTL after the delivery was
// claimed, which outlasts the turn and WeCom's redeliveries all the same,
// and keeps one queue entry a claim.
type localClaims struct {
	mu    sync.Mutex
	held  map[string]localClaim
	queue []claimExpiry // oldest first, from head
	head  int
	now   func() time.Time
}

// localClaim is what a claim holds (claimInFlight, or claimAnswered and the
// reply) and until when.
type localClaim struct {
	value string
	until int64 // Unix nanoseconds
}

// claimExpiry is a claim as taken at one moment: a claim released and taken
// again has a later entry, and only its latest expires it.
type claimExpiry struct {
	eventID string
	until   int64
}

func newLocalClaims() *localClaims {
	return &localClaims{held: map[string]localClaim{}, now: time.Now}
}

// claim claims eventID for a turn, as SET NX would; when another holds it,
// held is what that claim holds.
func (c *localClaims) claim(eventID string) (held string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	c.expire(now)
	if h, found := c.held[eventID]; found {
		return h.value, false
	}
	c.put(eventID, claimInFlight, now)
	return "", true
}

// answer puts the committed turn's reply in its claim, if it still holds.
func (c *localClaims) answer(eventID, reply string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h, ok := c.held[eventID]; ok {
		h.value = claimAnswered + reply
		c.held[eventID] = h
	}
}

// release gives up a claim whose turn recorded nothing.
func (c *localClaims) release(eventID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.held, eventID)
}

// lifetime is how long eventID's claim has left; 0 when there is none.
func (c *localClaims) lifetime(eventID string) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.held[eventID]
	if !ok {
		return 0
	}
	return time.Duration(h.until - c.now().UnixNano())
}

func (c *localClaims) put(eventID, value string, now time.Time) {
	until := now.Add(claimTTL).UnixNano()
	c.held[eventID] = localClaim{value: value, until: until}
	c.queue = append(c.queue, claimExpiry{eventID: eventID, until: until})
}

// expire drops the claims whose time is up, oldest first, and gives the
// queue's spent front back once it is half the queue.
func (c *localClaims) expire(now time.Time) {
	for at := now.UnixNano(); c.head < len(c.queue) && c.queue[c.head].until <= at; {
		e := c.queue[c.head]
		if h, ok := c.held[e.eventID]; ok && h.until == e.until {
			delete(c.held, e.eventID)
		}
		c.queue[c.head] = claimExpiry{}
		c.head++
	}
	if c.head > 1024 && c.head*2 > len(c.queue) {
		c.queue = append(c.queue[:0:0], c.queue[c.head:]...)
		c.head = 0
	}
}
