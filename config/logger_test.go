package config

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

// TestLoggerNeverWritesSecrets: the admin token (and every other configured
// secret) is redacted wherever a line carries it: message, string, error,
// group, attributes bound with With, text and JSON alike.
func TestLoggerNeverWritesSecrets(t *testing.T) {
	const token = "s3cret-admin-token"
	for _, format := range []string{"text", "json"} {
		var buf bytes.Buffer
		c := &Config{LogFormat: format, AdminToken: token, MySQLDSN: "qunbot:db-pass-123@tcp(db:3306)/qunbot",
			WeCom: WeCom{App: App{Secret: "app-secret-xyz"}}}
		log := NewLogger(c, &buf).With("bound", "Bearer "+token)
		log.Info("login with "+token, "query", "token="+token, "err", errors.New("dial: "+token+" refused"),
			slog.Group("req", "auth", "Bearer%20"+token), "dsn", c.MySQLDSN, "secret", "app-secret-xyz")
		log.Info("escaped", "query", "token=s3cret-admin-token")
		out := buf.String()
		for _, secret := range []string{token, "db-pass-123", "app-secret-xyz"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s: a secret reached the log:\n%s", format, out)
			}
		}
		if strings.Count(out, "[REDACTED]") < 7 {
			t.Errorf("%s: want every secret replaced by [REDACTED]:\n%s", format, out)
		}
	}
}
