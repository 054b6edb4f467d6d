package config

import (
	"io"
	"log/slog"
)

// NewLogger returns the service logger: text or JSON lines at the configured level.
func NewLogger(c *Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level(c.LogLevel)}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
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
