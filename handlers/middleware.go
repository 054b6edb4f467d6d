package handlers

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// accessLog writes one line per request. Callback query strings carry
// signatures and bodies carry payloads, so neither is ever logged for /wecom;
// elsewhere the query is logged with every secret value redacted.
func accessLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		attrs := []slog.Attr{
			slog.String("method", c.Request.Method),
			slog.String("path", c.Request.URL.Path),
			slog.Int("status", c.Writer.Status()),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
			slog.Int("bytes", max(c.Writer.Size(), 0)),
		}
		if q := c.Request.URL.RawQuery; q != "" && !strings.HasPrefix(c.Request.URL.Path, "/wecom/") {
			attrs = append(attrs, slog.String("query", loggableQuery(q)))
		}
		log.LogAttrs(c.Request.Context(), levelFor(c.Writer.Status()), "http request", attrs...)
	}
}

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}

// recovery turns a panic into one error line and a 500, so one bad request
// never takes the server down.
func recovery(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v) // the client went away; net/http handles this one quietly
			}
			log.ErrorContext(c.Request.Context(), "handler panic", "method", c.Request.Method,
				"path", c.Request.URL.Path, "err", fmt.Sprint(v), "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				c.AbortWithStatus(http.StatusInternalServerError)
			} else {
				c.Abort()
			}
		}()
		c.Next()
	}
}
