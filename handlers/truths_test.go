package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestBadSignatureLogsWhichCheck: a 401 for a bad signature logs the check
// that failed, and never the Token, the key or a signature.
func TestBadSignatureLogsWhichCheck(t *testing.T) {
	for _, w := range wires {
		t.Run(w.endpoint, func(t *testing.T) {
			f := newFixture(t, nil)
			d := w.deliver(t, w.crypto(f), w.valid, now)
			good := d.query.Get("msg_signature")
			cases := []struct {
				name, query, reason string
			}{
				{"no signature", "timestamp=" + d.query.Get("timestamp") + "&nonce=" + d.query.Get("nonce"), "msg_signature is missing"},
				{"no nonce", "msg_signature=" + good + "&timestamp=" + d.query.Get("timestamp"), "timestamp or nonce is missing"},
				{"wrong token", "msg_signature=" + strings.Repeat("0", 40) + "&timestamp=" + d.query.Get("timestamp") +
					"&nonce=" + d.query.Get("nonce"), "does not match the one computed with " + tokenSettings[w.endpoint]},
			}
			for _, c := range cases {
				res := f.do(t, http.MethodPost, d.path+"?"+c.query, d.body)
				if res.status != http.StatusUnauthorized {
					t.Errorf("%s: status %d, want 401", c.name, res.status)
				}
				if !strings.Contains(f.logs.String(), c.reason) {
					t.Errorf("%s: the log does not say %q:\n%s", c.name, c.reason, f.logs.String())
				}
			}
			for _, secret := range []string{w.token, w.key, good} {
				if strings.Contains(f.logs.String(), secret) {
					t.Errorf("the log shows the secret %q:\n%s", secret, f.logs.String())
				}
			}
		})
	}
}

// TestReadyzSaysUnreachable: a store check wrapped with Unreachable is said
// in two words, however deep the error behind it.
func TestReadyzSaysUnreachable(t *testing.T) {
	ok := func(context.Context) error { return nil }
	down := func(context.Context) error {
		return fmt.Errorf("store: ping redis: %w", errors.New("store: redis is unreachable"))
	}
	f := newFixture(t, func(d *Deps) {
		d.Checks = []Check{{"database", Unreachable(ok)}, {"redis", Unreachable(down)}}
	})
	res := f.do(t, http.MethodGet, "/readyz", nil)
	if res.status != http.StatusServiceUnavailable || res.body != "redis: unreachable" {
		t.Errorf("got %d %q, want 503 %q", res.status, res.body, "redis: unreachable")
	}
	if !strings.Contains(f.logs.String(), "store: ping redis") {
		t.Errorf("the error behind it is not logged:\n%s", f.logs.String())
	}
}

// TestUnknownAPIPathIsJSON: an unknown path under /api/v1 is a JSON 404 for
// a caller with the token, a JSON 401 for one without; other unknown paths
// keep the plain 404.
func TestUnknownAPIPathIsJSON(t *testing.T) {
	f := adminFixture(t, adminToken, cannedAdmin())
	bearer := []string{"Authorization", "Bearer " + adminToken}
	tests := []struct {
		path   string
		header []string
		status int
		json   bool
	}{
		{"/api/v1/nope", bearer, http.StatusNotFound, true},
		{"/api/v1/groups/G1/nope", bearer, http.StatusNotFound, true},
		{"/api/v1", bearer, http.StatusNotFound, true},
		{"/api/v1/nope", nil, http.StatusUnauthorized, true},
		{"/api/v1/nope?token=" + adminToken, bearer, http.StatusBadRequest, true},
		{"/nope", nil, http.StatusNotFound, false},
	}
	for _, tt := range tests {
		res := f.do(t, http.MethodGet, tt.path, nil, tt.header...)
		var body errorBody
		isJSON := strings.HasPrefix(res.header.Get("Content-Type"), "application/json") &&
			json.Unmarshal([]byte(res.body), &body) == nil && body.Error != ""
		if res.status != tt.status || isJSON != tt.json {
			t.Errorf("%s: %d %q (%s), want %d, JSON %v", tt.path, res.status, res.body, res.header.Get("Content-Type"), tt.status, tt.json)
		}
	}
}
