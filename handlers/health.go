package handlers

import (
	"context"
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
// check, e.g. "redis: connection refused".
func (s *server) readyz(c *gin.Context) {
	var failed []string
	for _, ch := range s.Checks {
		if err := ping(c.Request.Context(), ch); err != nil {
			failed = append(failed, ch.Name+": "+err.Error())
		}
	}
	if len(failed) > 0 {
		s.Log.Warn("not ready", "failed", strings.Join(failed, "; "))
		c.String(http.StatusServiceUnavailable, strings.Join(failed, "\n"))
		return
	}
	c.String(http.StatusOK, "ok")
}

func ping(ctx context.Context, ch Check) error {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	return ch.Ping(ctx)
}
