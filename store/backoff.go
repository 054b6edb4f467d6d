package store

import (
	"math/rand/v2"
	"time"
)

const (
	backoffBase = 5 * time.Second
	backoffCap  = 10 * time.Minute
)

// backoff is the wait before retry number attempts (1-based): exponential
// from 5s, capped at 10m, with the upper half jittered so rows that failed
// together do not all come back together.
func backoff(attempts int) time.Duration {
	d := backoffCap
	if attempts < 16 {
		d = min(backoffBase<<(attempts-1), backoffCap)
	}
	half := d / 2
	return half + rand.N(half+1)
}
