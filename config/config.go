// Package config loads qunbot's configuration from the environment and an
// optional YAML file (INTERFACE.md section 2). It returns a value and keeps no
// globals; the environment wins over the file, and every problem is reported
// at once, one line per key.
package config

import (
	"strings"
	"time"
)

// Config is the whole service configuration.
type Config struct {
	Addr            string
	DataDir         string
	MySQLDSN        string // empty = embedded SQLite under DataDir
	RedisURL        string // empty = in-process store
	Admins          []string
	AdminToken      string // empty = admin API disabled
	Timezone        *time.Location
	TimezoneName    string
	CallbackMaxSkew time.Duration // 0 disables the check
	LogLevel        string        // debug | info | warn | error
	LogFormat       string        // text | json
	WeCom           WeCom

	// Defaults and Groups are the per-group settings of INTERFACE.md section 6,
	// flattened to dotted keys ("checkin.points"); lists become "a, b". The
	// rules package validates them.
	Defaults map[string]string
	Groups   map[string]map[string]string

	// DemoKeys names the settings filled in by EnsureDemoCredentials.
	DemoKeys []string
}

// WeCom holds the WeCom credentials.
type WeCom struct {
	CorpID  string // receiveid of app callbacks
	APIBase string // without a trailing slash
	App     App
	AIBot   AIBot
	Archive Archive
}

// Archive is the message archive (会话内容存档): full-traffic mode when both
// Secret and PrivateKeyFile are set.
type Archive struct {
	Secret string // the archive's own Secret (管理工具 → 会话内容存档)
	// PrivateKeyFile names the RSA private key(s) records are encrypted to:
	// one PEM file, or ver=file pairs by publickey_ver ("2=/k/v2.pem,3=/k/v3.pem").
	PrivateKeyFile string
	Poll           time.Duration // pull this often even without msgaudit_notify
	BotIDs         []string      // senders whose archived messages are the bot's own
	FakeURL        string        // pull from a fake archive over HTTP (tests and sim) instead of the SDK
}

// App is the self-built app: API credentials and callback crypto.
type App struct {
	AgentID int
	Secret  string
	Token   string
	AESKey  string
}

// AIBot is the 智能机器人: its callback crypto (receiveid empty) for webhook
// mode, or its BotID and long-connection Secret for long-connection mode.
type AIBot struct {
	Token  string
	AESKey string

	BotID  string        // QUNBOT_AIBOT_BOT_ID; with Secret: long-connection mode
	Secret string        // the long-connection Secret (not the callback Token)
	WSURL  string        // the long-connection endpoint
	WSPing time.Duration // heartbeat interval
}

// LongConn reports whether the 智能机器人 runs in long-connection mode:
// qunbot dials out to WeCom instead of waiting for callbacks.
func (c *Config) LongConn() bool { return c.WeCom.AIBot.BotID != "" && c.WeCom.AIBot.Secret != "" }

// FullTraffic reports whether qunbot pulls the message archive (INTERFACE.md section 9).
func (c *Config) FullTraffic() bool {
	return c.WeCom.Archive.Secret != "" && c.WeCom.Archive.PrivateKeyFile != ""
}

// APIEnabled reports whether WeCom API calls can be made (agent id and secret set).
func (c *Config) APIEnabled() bool { return c.WeCom.App.AgentID > 0 && c.WeCom.App.Secret != "" }

// EmbeddedDB reports whether the embedded SQLite database is used.
func (c *Config) EmbeddedDB() bool { return c.MySQLDSN == "" }

// EmbeddedRedis reports whether the in-process Redis-compatible store is used.
func (c *Config) EmbeddedRedis() bool { return c.RedisURL == "" }

// Embedded reports whether any embedded store is used.
func (c *Config) Embedded() bool { return c.EmbeddedDB() || c.EmbeddedRedis() }

// ValidationError lists every configuration problem, one line each.
type ValidationError struct {
	Problems []string
}

func (e *ValidationError) Error() string { return strings.Join(e.Problems, "\n") }
