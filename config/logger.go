package config

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
)

// NewLogger returns the service logger: text or JSON lines at the configured
// level. Whatever a line holds (a message, an error, a URL), the configured
// secrets never reach the output: each is replaced by [REDACTED].
func NewLogger(c *Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level(c.LogLevel)}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if c.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	if secrets := c.secrets(); len(secrets) > 0 {
		h = &redactHandler{inner: h, secrets: strings.NewReplacer(secrets...)}
	}
	return slog.New(h)
}

// minSecretLen keeps a short (demo or mistyped) value from redacting
// ordinary words.
const minSecretLen = 6

// secrets are the replacer pairs of every secret the configuration holds.
func (c *Config) secrets() []string {
	var pairs []string
	for _, s := range []string{c.AdminToken, c.WeCom.App.Secret, c.WeCom.App.Token, c.WeCom.App.AESKey,
		c.WeCom.AIBot.Token, c.WeCom.AIBot.AESKey, dsnPassword(c.MySQLDSN), urlPassword(c.RedisURL)} {
		if len(s) >= minSecretLen {
			pairs = append(pairs, s, "[REDACTED]")
			if esc := url.QueryEscape(s); esc != s {
				pairs = append(pairs, esc, "[REDACTED]")
			}
		}
	}
	return pairs
}

// dsnPassword is the password of a MySQL DSN (user:pass@tcp(...)/db).
func dsnPassword(dsn string) string {
	cred, _, found := strings.Cut(dsn, "@")
	if !found {
		return ""
	}
	_, pass, _ := strings.Cut(cred, ":")
	return pass
}

// urlPassword is the password of a redis:// URL.
func urlPassword(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return ""
	}
	pass, _ := u.User.Password()
	return pass
}

// redactHandler replaces secrets in every message and attribute.
type redactHandler struct {
	inner   slog.Handler
	secrets *strings.Replacer
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

func (h *redactHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.secrets.Replace(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.inner.Handle(ctx, out)
}

func (h *redactHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.attr(a)
	}
	return &redactHandler{inner: h.inner.WithAttrs(clean), secrets: h.secrets}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{inner: h.inner.WithGroup(name), secrets: h.secrets}
}

// attr redacts one attribute: strings as they are, anything else (an error,
// a Stringer) as the text it would be logged as.
func (h *redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.secrets.Replace(v.String()))
	case slog.KindGroup:
		group := v.Group()
		clean := make([]any, len(group))
		for i, g := range group {
			clean[i] = h.attr(g)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		text := fmt.Sprint(v.Any())
		if redacted := h.secrets.Replace(text); redacted != text {
			return slog.String(a.Key, redacted)
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

func level(name string) slog.Level {
	switch name {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}
