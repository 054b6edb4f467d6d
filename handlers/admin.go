package handlers

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/qunbot/qunbot/rules"
)

// The admin API is one file per route family (admin_groups.go, ...); a new
// family adds its file and one line in New.

// requireAdmin lets a request through only with "Authorization: Bearer
// <AdminToken>" or the dashboard's session cookie (dashboard_auth.go). With
// no AdminToken configured the API is disabled: 401.
func (s *server) requireAdmin(c *gin.Context) {
	if s.AdminToken == "" {
		c.Header("WWW-Authenticate", `Bearer realm="qunbot"`)
		abortJSON(c, http.StatusUnauthorized, "admin API disabled: set QUNBOT_ADMIN_TOKEN")
		return
	}
	if !s.adminAuthorized(c) {
		c.Header("WWW-Authenticate", `Bearer realm="qunbot"`)
		abortJSON(c, http.StatusUnauthorized, "missing or wrong bearer token")
		return
	}
	if s.Admin == nil {
		abortJSON(c, http.StatusServiceUnavailable, "admin API not available")
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.AdminBudget)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// sameToken compares in constant time; hashing first hides the length too.
func sameToken(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

type errorBody struct {
	Error string `json:"error"`
}

func abortJSON(c *gin.Context, status int, msg string) {
	c.AbortWithStatusJSON(status, errorBody{msg})
}

// fail answers a reader error: 404 for rules.ErrNotFound, 503 for a store
// that did not answer in time, else one log line and 500.
func (s *server) fail(c *gin.Context, err error) {
	if errors.Is(err, rules.ErrNotFound) {
		abortJSON(c, http.StatusNotFound, "not found")
		return
	}
	if unavailable(err) {
		s.Log.WarnContext(c.Request.Context(), "admin API: store unavailable", "path", c.FullPath(), "err", err)
		c.Header("Retry-After", "5")
		abortJSON(c, http.StatusServiceUnavailable, "store unavailable, try again shortly")
		return
	}
	s.Log.ErrorContext(c.Request.Context(), "admin API", "path", c.FullPath(), "err", err)
	abortJSON(c, http.StatusInternalServerError, "internal error")
}

// timeJSON is RFC 3339 with the configured zone's offset, or null when unset.
func (s *server) timeJSON(t *time.Time) *string {
	if t == nil || t.IsZero() {
		return nil
	}
	v := t.In(s.Location).Format(time.RFC3339)
	return &v
}

// queryLimit reads ?limit= (def when absent); a bad one is answered 400 and
// ok is false.
func queryLimit(c *gin.Context, def, maxLimit int) (limit int, ok bool) {
	v := c.Query("limit")
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLimit {
		abortJSON(c, http.StatusBadRequest, fmt.Sprintf("limit must be a number from 1 to %d", maxLimit))
		return 0, false
	}
	return n, true
}
