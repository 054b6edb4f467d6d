package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// Secrets never travel in a URL: query strings end up in access logs,
// proxies' logs and browser history. A request to the admin API or the
// dashboard that carries a token in its query string is refused before the
// token is even compared, and the access log never writes a secret value.

// secretParam reports whether a query parameter's name says it holds a
// secret (token, access_token, admin_token, secret, key, msg_signature…).
func secretParam(name string) bool {
	name = strings.ToLower(name)
	for _, s := range []string{"token", "secret", "key", "signature", "password", "auth"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// refuseQueryTokens answers 400 to a request whose query string carries a
// secret; the bearer header (or the dashboard's cookie) is the only way in.
func refuseQueryTokens(c *gin.Context) {
	for name := range c.Request.URL.Query() {
		if secretParam(name) {
			abortJSON(c, http.StatusBadRequest,
				"tokens in query strings are refused: send the header Authorization: Bearer <token>")
			return
		}
	}
	c.Next()
}

// loggableQuery is a raw query with the value of every secret parameter
// replaced by REDACTED, in its original order.
func loggableQuery(raw string) string {
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		name, _, found := strings.Cut(p, "=")
		if decoded, err := url.QueryUnescape(name); err == nil {
			name = decoded
		}
		if found && secretParam(name) {
			parts[i] = name + "=REDACTED"
		}
	}
	return strings.Join(parts, "&")
}
