package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestTokenInQueryIsRefusedAndNeverLogged: a token in a query string is
// refused (400, even next to a right bearer header), and no log line holds
// it: the access log keeps query keys but never their secret values.
func TestTokenInQueryIsRefusedAndNeverLogged(t *testing.T) {
	f := adminFixture(t, adminToken, cannedAdmin())
	paths := []string{
		"/api/v1/groups?token=" + adminToken,
		"/api/v1/groups?access_token=" + adminToken,
		"/api/v1/groups/G1/members/alice?limit=5&admin_token=" + url.QueryEscape(adminToken),
		"/dashboard?token=" + adminToken,
	}
	for _, p := range paths {
		for _, header := range [][]string{nil, {"Authorization", "Bearer " + adminToken}} {
			res := f.do(t, http.MethodGet, p, nil, header...)
			if res.status != http.StatusBadRequest || !strings.Contains(res.body, "query") {
				t.Errorf("GET %s (header %v) = %d %s, want 400 naming the query string", p, header, res.status, res.body)
			}
		}
	}
	res := f.do(t, http.MethodGet, "/api/v1/groups?limit=3", nil, "Authorization", "Bearer "+adminToken)
	if res.status != http.StatusOK {
		t.Errorf("a plain query with the bearer header = %d, want 200", res.status)
	}
	logs := f.logs.String()
	if strings.Contains(logs, adminToken) || strings.Contains(logs, url.QueryEscape(adminToken)) {
		t.Errorf("the admin token reached the log:\n%s", logs)
	}
	if !strings.Contains(logs, `"query":"limit=3"`) || !strings.Contains(logs, "token=REDACTED") {
		t.Errorf("access log should keep harmless queries and redact secret values:\n%s", logs)
	}
}
