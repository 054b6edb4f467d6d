package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	goodKey  = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	otherKey = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func mustLoad(t *testing.T, env map[string]string) *Config {
	t.Helper()
	c, err := Load(envOf(env))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func TestLoadDefaults(t *testing.T) {
	c := mustLoad(t, nil)
	checks := []struct {
		name      string
		got, want any
	}{
		{"Addr", c.Addr, ":8080"},
		{"DataDir", c.DataDir, "./data"},
		{"MySQLDSN", c.MySQLDSN, ""},
		{"RedisURL", c.RedisURL, ""},
		{"Admins", len(c.Admins), 0},
		{"AdminToken", c.AdminToken, ""},
		{"TimezoneName", c.TimezoneName, "Asia/Shanghai"},
		{"Timezone", c.Timezone.String(), "Asia/Shanghai"},
		{"CallbackMaxSkew", c.CallbackMaxSkew, 10 * time.Minute},
		{"LogLevel", c.LogLevel, "info"},
		{"LogFormat", c.LogFormat, "text"},
		{"APIBase", c.WeCom.APIBase, "https://qyapi.weixin.qq.com"},
		{"APIEnabled", c.APIEnabled(), false},
		{"Embedded", c.Embedded(), true},
		{"LongConn", c.LongConn(), false},
		{"AIBot.WSURL", c.WeCom.AIBot.WSURL, "wss://openws.work.weixin.qq.com"},
		{"AIBot.WSPing", c.WeCom.AIBot.WSPing, 30 * time.Second},
		{"Defaults", len(c.Defaults), 0},
		{"Groups", len(c.Groups), 0},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

const fullYAML = `
addr: "127.0.0.1:9090"
data_dir: /var/lib/qunbot
mysql_dsn: "u:p@tcp(db:3306)/qunbot?parseTime=true"
redis_url: redis://cache:6379/1
admins: [alice, bob]
admin_token: s3cret
timezone: Europe/Berlin
callback_max_skew: 5m
log_level: debug
log_format: json
wecom:
  corp_id: ww123
  api_base: http://fake:8081/
  app:   {agent_id: 1000002, secret: appsecret, token: apptoken, aes_key: ` + goodKey + `}
  aibot: {token: bottoken, aes_key: ` + otherKey + `, bot_id: aib123, secret: wssecret, ws_url: "ws://fake:8082", ws_ping: 10s}
defaults:
  checkin: {points: 5, streak_bonus: 1}
  violation: {expire: 30d}
  levels: ["0 新人", "50 活跃成员"]
groups:
  G1: {kind: internal, name: 产品交流群, owner: zhangsan, webhook_key: "k1"}
  G2: {kind: appchat, owner: zhangsan, checkin: {points: 10}}
  G3:
`

func TestLoadFile(t *testing.T) {
	c := mustLoad(t, map[string]string{"QUNBOT_CONFIG": writeFile(t, "q.yaml", fullYAML)})
	want := Config{
		Addr: "127.0.0.1:9090", DataDir: "/var/lib/qunbot", MySQLDSN: "u:p@tcp(db:3306)/qunbot?parseTime=true",
		RedisURL: "redis://cache:6379/1", Admins: []string{"alice", "bob"}, AdminToken: "s3cret",
		TimezoneName: "Europe/Berlin", CallbackMaxSkew: 5 * time.Minute, LogLevel: "debug", LogFormat: "json",
		WeCom: WeCom{CorpID: "ww123", APIBase: "http://fake:8081",
			App: App{AgentID: 1000002, Secret: "appsecret", Token: "apptoken", AESKey: goodKey},
			AIBot: AIBot{Token: "bottoken", AESKey: otherKey, BotID: "aib123", Secret: "wssecret",
				WSURL: "ws://fake:8082", WSPing: 10 * time.Second},
			Archive: Archive{Poll: time.Minute}},
		Defaults: map[string]string{"checkin.points": "5", "checkin.streak_bonus": "1", "violation.expire": "30d",
			"levels": "0 新人, 50 活跃成员"},
		Groups: map[string]map[string]string{
			"G1": {"kind": "internal", "name": "产品交流群", "owner": "zhangsan", "webhook_key": "k1"},
			"G2": {"kind": "appchat", "owner": "zhangsan", "checkin.points": "10"},
			"G3": {},
		},
	}
	want.Timezone = c.Timezone
	if !reflect.DeepEqual(*c, want) {
		t.Errorf("got  %+v\nwant %+v", *c, want)
	}
	if c.Timezone.String() != "Europe/Berlin" || !c.APIEnabled() || c.Embedded() || !c.LongConn() {
		t.Errorf("zone %v, APIEnabled %v, Embedded %v, LongConn %v", c.Timezone, c.APIEnabled(), c.Embedded(), c.LongConn())
	}
}

func TestEnvWinsOverFile(t *testing.T) {
	env := map[string]string{
		"QUNBOT_CONFIG":            writeFile(t, "q.yaml", fullYAML),
		"QUNBOT_ADDR":              ":7000",
		"QUNBOT_ADMINS":            " carol , dave,",
		"QUNBOT_APP_AES_KEY":       otherKey,
		"QUNBOT_APP_AGENT_ID":      "42",
		"QUNBOT_CALLBACK_MAX_SKEW": "0",
		"QUNBOT_LOG_LEVEL":         "WARN",
	}
	c := mustLoad(t, env)
	checks := []struct {
		name      string
		got, want any
	}{
		{"Addr", c.Addr, ":7000"},
		{"Admins", strings.Join(c.Admins, "|"), "carol|dave"},
		{"App.AESKey", c.WeCom.App.AESKey, otherKey},
		{"App.AgentID", c.WeCom.App.AgentID, 42},
		{"CallbackMaxSkew", c.CallbackMaxSkew, time.Duration(0)},
		{"LogLevel", c.LogLevel, "warn"},
		{"App.Secret (file)", c.WeCom.App.Secret, "appsecret"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestSecretFiles(t *testing.T) {
	tests := []struct {
		key  string
		text string
		get  func(*Config) string
	}{
		{"QUNBOT_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/test", func(c *Config) string { return c.MySQLDSN }},
		{"QUNBOT_REDIS_URL", "redis://:pw@h:6379/0", func(c *Config) string { return c.RedisURL }},
		{"QUNBOT_ADMIN_TOKEN", "tok en", func(c *Config) string { return c.AdminToken }},
		{"QUNBOT_APP_SECRET", "sec", func(c *Config) string { return c.WeCom.App.Secret }},
		{"QUNBOT_APP_TOKEN", "apptok", func(c *Config) string { return c.WeCom.App.Token }},
		{"QUNBOT_APP_AES_KEY", goodKey, func(c *Config) string { return c.WeCom.App.AESKey }},
		{"QUNBOT_AIBOT_TOKEN", "bottok", func(c *Config) string { return c.WeCom.AIBot.Token }},
		{"QUNBOT_AIBOT_AES_KEY", otherKey, func(c *Config) string { return c.WeCom.AIBot.AESKey }},
		{"QUNBOT_AIBOT_SECRET", "wssec", func(c *Config) string { return c.WeCom.AIBot.Secret }},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			env := map[string]string{tt.key + "_FILE": writeFile(t, "secret", tt.text+"\r\n")}
			if tt.key == "QUNBOT_APP_SECRET" {
				env["QUNBOT_APP_AGENT_ID"] = "1"
			}
			if tt.key == "QUNBOT_AIBOT_SECRET" {
				env["QUNBOT_AIBOT_BOT_ID"] = "aib1"
			}
			if got := tt.get(mustLoad(t, env)); got != tt.text {
				t.Errorf("got %q, want %q", got, tt.text)
			}
		})
	}
}

func TestProblems(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	emptyDir := writeFile(t, "d.yaml", "data_dir: ''\n")
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"aes key", map[string]string{"QUNBOT_APP_AES_KEY": "short"},
			[]string{"QUNBOT_APP_AES_KEY：应为43个字母或数字"}},
		{"aibot aes key", map[string]string{"QUNBOT_AIBOT_AES_KEY": strings.Repeat("-", 43)},
			[]string{"QUNBOT_AIBOT_AES_KEY：应为43个字母或数字"}},
		{"tokens", map[string]string{"QUNBOT_APP_TOKEN": "a-b", "QUNBOT_AIBOT_TOKEN": strings.Repeat("a", 33)},
			[]string{"QUNBOT_APP_TOKEN：应为不超过32个字母或数字",
				"QUNBOT_AIBOT_TOKEN：应为不超过32个字母或数字"}},
		{"time zone", map[string]string{"QUNBOT_TIMEZONE": "Mars/Base"},
			[]string{"QUNBOT_TIMEZONE：不认识的时区「Mars/Base」，应如 Asia/Shanghai"}},
		{"log level and format", map[string]string{"QUNBOT_LOG_LEVEL": "loud", "QUNBOT_LOG_FORMAT": "xml"},
			[]string{"QUNBOT_LOG_LEVEL：应为 debug、info、warn、error 之一",
				"QUNBOT_LOG_FORMAT：应为 text、json 之一"}},
		{"addr", map[string]string{"QUNBOT_ADDR": "8080"}, []string{"QUNBOT_ADDR：应为「主机:端口」，如 :8080 或 127.0.0.1:8080（只写端口时前面加冒号）"}},
		{"skew", map[string]string{"QUNBOT_CALLBACK_MAX_SKEW": "-1m"},
			[]string{"QUNBOT_CALLBACK_MAX_SKEW：应为时长，如 10m；0 表示不检查"}},
		{"skew words", map[string]string{"QUNBOT_CALLBACK_MAX_SKEW": "soon"},
			[]string{"QUNBOT_CALLBACK_MAX_SKEW：应为时长，如 10m；0 表示不检查"}},
		{"redis url", map[string]string{"QUNBOT_REDIS_URL": "http://x"},
			[]string{"QUNBOT_REDIS_URL：应为 redis://主机:6379/0 这样的地址（可用 redis、rediss、unix）"}},
		{"api base", map[string]string{"QUNBOT_WECOM_API_BASE": "qyapi"},
			[]string{"QUNBOT_WECOM_API_BASE：应为 http 或 https 地址，如 https://qyapi.weixin.qq.com"}},
		{"agent id", map[string]string{"QUNBOT_APP_AGENT_ID": "-3", "QUNBOT_APP_SECRET": "s"},
			[]string{"QUNBOT_APP_AGENT_ID：应为正整数"}},
		{"secret without agent", map[string]string{"QUNBOT_APP_SECRET": "s"},
			[]string{"QUNBOT_APP_AGENT_ID：设置了 QUNBOT_APP_SECRET 就要同时设置它（两个都不设，则不调用企业微信接口）"}},
		{"agent without secret", map[string]string{"QUNBOT_APP_AGENT_ID": "7"},
			[]string{"QUNBOT_APP_SECRET：设置了 QUNBOT_APP_AGENT_ID 就要同时设置它（两个都不设，则不调用企业微信接口）"}},
		{"bot id without secret", map[string]string{"QUNBOT_AIBOT_BOT_ID": "aib1"},
			[]string{"QUNBOT_AIBOT_SECRET：设置了 QUNBOT_AIBOT_BOT_ID 就要同时设置它（两个都不设，则用回调模式）"}},
		{"secret without bot id", map[string]string{"QUNBOT_AIBOT_SECRET": "s"},
			[]string{"QUNBOT_AIBOT_BOT_ID：设置了 QUNBOT_AIBOT_SECRET 就要同时设置它（两个都不设，则用回调模式）"}},
		{"ws url", map[string]string{"QUNBOT_AIBOT_WS_URL": "https://openws.work.weixin.qq.com"},
			[]string{"QUNBOT_AIBOT_WS_URL：应为 ws 或 wss 地址，如 wss://openws.work.weixin.qq.com"}},
		{"archive secret without key", map[string]string{"QUNBOT_ARCHIVE_SECRET": "s"},
			[]string{"QUNBOT_ARCHIVE_PRIVATE_KEY_FILE：设置了 QUNBOT_ARCHIVE_SECRET 就要同时设置它（两个都不设，则不拉取会话存档）"}},
		{"archive key without secret", map[string]string{"QUNBOT_ARCHIVE_PRIVATE_KEY_FILE": "/k.pem"},
			[]string{"QUNBOT_ARCHIVE_SECRET：设置了 QUNBOT_ARCHIVE_PRIVATE_KEY_FILE 就要同时设置它（两个都不设，则不拉取会话存档）"}},
		{"archive poll", map[string]string{"QUNBOT_ARCHIVE_POLL": "10ms"},
			[]string{"QUNBOT_ARCHIVE_POLL：应为不小于 1s 的时长，如 1m"}},
		{"ws ping", map[string]string{"QUNBOT_AIBOT_WS_PING": "0s"},
			[]string{"QUNBOT_AIBOT_WS_PING：应为大于0的时长，如 30s"}},
		{"data dir", map[string]string{"QUNBOT_CONFIG": emptyDir},
			[]string{"QUNBOT_DATA_DIR（" + emptyDir + " 中的 data_dir）：不能为空"}},
		{"both key and file", map[string]string{"QUNBOT_ADMIN_TOKEN": "a", "QUNBOT_ADMIN_TOKEN_FILE": "/x"},
			[]string{"QUNBOT_ADMIN_TOKEN_FILE：QUNBOT_ADMIN_TOKEN 和 QUNBOT_ADMIN_TOKEN_FILE 只能设置一个"}},
		{"unreadable secret", map[string]string{"QUNBOT_APP_SECRET_FILE": missing},
			[]string{"QUNBOT_APP_SECRET_FILE：读不到密钥文件 " + missing + "（不存在）"}},
		{"unreadable config", map[string]string{"QUNBOT_CONFIG": missing},
			[]string{"QUNBOT_CONFIG：读不到配置文件 " + missing + "（不存在）"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(envOf(tt.env))
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("err = %v, want a *ValidationError", err)
			}
			if !reflect.DeepEqual(verr.Problems, tt.want) {
				t.Errorf("got  %q\nwant %q", verr.Problems, tt.want)
			}
			if got, want := err.Error(), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("Error() = %q, want %q", got, want)
			}
		})
	}
}

func TestDSNProblemHidesPassword(t *testing.T) {
	_, err := Load(envOf(map[string]string{"QUNBOT_MYSQL_DSN": "root:hunter2@tcp(db)qunbot"}))
	if err == nil || !strings.HasPrefix(err.Error(), "QUNBOT_MYSQL_DSN：不是有效的 MySQL DSN") {
		t.Fatalf("err = %v, want a QUNBOT_MYSQL_DSN problem", err)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("the problem line shows the password: %q", err)
	}
}

func TestEveryProblemReported(t *testing.T) {
	_, err := Load(envOf(map[string]string{
		"QUNBOT_TIMEZONE": "Mars/Base", "QUNBOT_LOG_LEVEL": "loud", "QUNBOT_APP_AES_KEY": "x", "QUNBOT_ADDR": "nope",
	}))
	if err == nil {
		t.Fatal("Load accepted four bad settings")
	}
	want := []string{"QUNBOT_ADDR：", "QUNBOT_TIMEZONE：", "QUNBOT_LOG_LEVEL：", "QUNBOT_APP_AES_KEY："}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines %q, want %d", len(lines), lines, len(want))
	}
	for i, prefix := range want {
		if !strings.HasPrefix(lines[i], prefix) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], prefix)
		}
	}
}

func TestArchiveFromFile(t *testing.T) {
	c := mustLoad(t, map[string]string{"QUNBOT_CONFIG": writeFile(t, "q.yaml", `
wecom:
  archive: {secret: as3cret, private_key_file: "2=/k/v2.pem,3=/k/v3.pem", poll: 30s, bot_ids: "qb1, qb2"}
`)})
	a := c.WeCom.Archive
	if !c.FullTraffic() || a.Secret != "as3cret" || a.PrivateKeyFile != "2=/k/v2.pem,3=/k/v3.pem" ||
		a.Poll != 30*time.Second || !reflect.DeepEqual(a.BotIDs, []string{"qb1", "qb2"}) {
		t.Errorf("archive settings %+v, full traffic %v", a, c.FullTraffic())
	}
}
