package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// checkTimeout bounds each readiness check, so a hung dependency fails /readyz
// instead of hanging it.
const checkTimeout = 2 * time.Second

func (s *server) health(r gin.IRouter) {
	r.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	r.GET("/readyz", s.readyz)
}

// readyz is 200 when every check answers, else 503 with one line per failing
// check, e.g. "redis: unreachable"; the errors themselves go to the log.
func (s *server) readyz(c *gin.Context) {
	var failed, errs []string
	for _, ch := range s.Checks {
		if err := ping(c.Request.Context(), ch); err != nil {
			failed = append(failed, ch.Name+": "+said(err))
			errs = append(errs, ch.Name+": "+err.Error())
		}
	}
	if len(failed) > 0 {
		s.Log.Warn("not ready", "failed", strings.Join(errs, "; "))
		c.String(http.StatusServiceUnavailable, strings.Join(failed, "\n"))
		return
	}
	c.String(http.StatusOK, "ok")
}

// down is a failed check as /readyz says it; the error goes to the log.
type down struct {
	say string
	err error
}

func (d *down) Error() string { return d.err.Error() }
func (d *down) Unwrap() error { return d.err }

// Unreachable wraps a check whose every failure /readyz should say as
// "unreachable" ("redis: unreachable"), not as the chain of wrapped errors
// behind it.
func Unreachable(ping func(ctx context.Context) error) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		if err := ping(ctx); err != nil {
			return &down{say: "unreachable", err: err}
		}
		return nil
	}
}

// said is how /readyz words a failed check.
func said(err error) string {
	var d *down
	if errors.As(err, &d) {
		return d.say
	}
	return err.Error()
}

func ping(ctx context.Context, ch Check) error {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	return ch.Ping(ctx)
}
