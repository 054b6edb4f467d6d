package handlers

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

// DefaultBodyBudget is how many bytes of callback bodies may be held at
// once: eight of the largest (maxBody), or thousands of WeCom's usual few
// KiB. A body is only known to be WeCom's once it has been read and its
// signature checked, so without a bound a flood of large bodies with a bogus
// signature could hold any amount of memory.
const DefaultBodyBudget = 8 * maxBody

// readBody reserves the body's size in the budget, then reads it. A body
// over maxBody is 413 before it is read, one that does not fit the budget
// now is 503 with Retry-After (WeCom retries), also unread. release gives
// the reservation back; call it when the request is done.
func (s *server) readBody(c *gin.Context) (body []byte, release func(), a answer, ok bool) {
	size := c.Request.ContentLength
	switch {
	case size > maxBody:
		return nil, nil, reject(http.StatusRequestEntityTooLarge, outcomeTooLarge), false
	case size < 0:
		size = maxBody // unknown length: reserve the most it may be
	}
	if !s.bodies.TryAcquire(size) {
		c.Header("Retry-After", "1")
		return nil, nil, reject(http.StatusServiceUnavailable, outcomeBusy), false
	}
	s.Metrics.bodyBytes.Add(float64(size))
	release = func() {
		s.Metrics.bodyBytes.Sub(float64(size))
		s.bodies.Release(size)
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+1)) // one allocation, not ReadAll's doublings
	_, err := buf.ReadFrom(http.MaxBytesReader(c.Writer, c.Request.Body, maxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, release, reject(http.StatusRequestEntityTooLarge, outcomeTooLarge), false
	case err != nil && !errors.Is(err, io.EOF):
		return nil, release, reject(http.StatusBadRequest, outcomeMalformed), false
	}
	return buf.Bytes(), release, answer{}, true
}
