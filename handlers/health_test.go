package handlers

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

func TestHealth(t *testing.T) {
	ok := func(context.Context) error { return nil }
	refused := func(context.Context) error { return errors.New("connection refused") }
	tests := []struct {
		name   string
		path   string
		checks []Check
		status int
		body   string
	}{
		{"healthz", "/healthz", []Check{{"redis", refused}}, http.StatusOK, "ok"},
		{"ready", "/readyz", []Check{{"database", ok}, {"redis", ok}}, http.StatusOK, "ok"},
		{"no checks", "/readyz", nil, http.StatusOK, "ok"},
		{"redis down", "/readyz", []Check{{"database", ok}, {"redis", refused}}, http.StatusServiceUnavailable,
			"redis: connection refused"},
		{"both down", "/readyz", []Check{{"database", refused}, {"redis", refused}}, http.StatusServiceUnavailable,
			"database: connection refused\nredis: connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, func(d *Deps) { d.Checks = tt.checks })
			res := f.do(t, http.MethodGet, tt.path, nil)
			if res.status != tt.status || res.body != tt.body {
				t.Errorf("got %d %q, want %d %q", res.status, res.body, tt.status, tt.body)
			}
		})
	}
}

func TestReadyzCheckHasDeadline(t *testing.T) {
	var hadDeadline bool
	f := newFixture(t, func(d *Deps) {
		d.Checks = []Check{{"database", func(ctx context.Context) error {
			_, hadDeadline = ctx.Deadline()
			return nil
		}}}
	})
	f.do(t, http.MethodGet, "/readyz", nil)
	if !hadDeadline {
		t.Error("the check's context has no deadline; a hung dependency would hang /readyz")
	}
}
