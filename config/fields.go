package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones work on images without a zoneinfo database

	"github.com/go-sql-driver/mysql"
)

// field is one setting: its environment key, its path in the YAML file, its
// default, whether it is a secret (and so has a KEY_FILE variant), and how a
// text value is checked and stored.
type field struct {
	env    string
	yaml   string
	def    string
	secret bool
	apply  func(c *Config, v string) error
}

var fields = []field{
	{"QUNBOT_ADDR", "addr", ":8080", false, func(c *Config, v string) error {
		c.Addr = v
		if _, _, err := net.SplitHostPort(v); err != nil {
			return errors.New("应为「主机:端口」，如 :8080 或 127.0.0.1:8080（只写端口时前面加冒号）")
		}
		return nil
	}},
	{"QUNBOT_DATA_DIR", "data_dir", "./data", false, func(c *Config, v string) error {
		c.DataDir = v
		return notEmpty(v)
	}},
	{"QUNBOT_MYSQL_DSN", "mysql_dsn", "", true, func(c *Config, v string) error {
		c.MySQLDSN = v
		return checkDSN(v)
	}},
	{"QUNBOT_REDIS_URL", "redis_url", "", true, func(c *Config, v string) error {
		c.RedisURL = v
		return checkRedisURL(v)
	}},
	{"QUNBOT_ADMINS", "admins", "", false, func(c *Config, v string) error {
		c.Admins = splitList(v)
		return nil
	}},
	{"QUNBOT_ADMIN_TOKEN", "admin_token", "", true, func(c *Config, v string) error {
		c.AdminToken = v
		return nil
	}},
	{"QUNBOT_TIMEZONE", "timezone", "Asia/Shanghai", false, setTimezone},
	{"QUNBOT_CALLBACK_MAX_SKEW", "callback_max_skew", "10m", false, func(c *Config, v string) (err error) {
		c.CallbackMaxSkew, err = time.ParseDuration(v)
		if err != nil || c.CallbackMaxSkew < 0 {
			return errors.New("应为时长，如 10m；0 表示不检查")
		}
		return nil
	}},
	{"QUNBOT_LOG_LEVEL", "log_level", "info", false, func(c *Config, v string) error {
		return oneOf(&c.LogLevel, v, "debug", "info", "warn", "error")
	}},
	{"QUNBOT_LOG_FORMAT", "log_format", "text", false, func(c *Config, v string) error {
		return oneOf(&c.LogFormat, v, "text", "json")
	}},
	{"QUNBOT_CORP_ID", "wecom.corp_id", "", false, func(c *Config, v string) error {
		c.WeCom.CorpID = v
		return nil
	}},
	{"QUNBOT_WECOM_API_BASE", "wecom.api_base", "https://qyapi.weixin.qq.com", false, func(c *Config, v string) error {
		c.WeCom.APIBase = strings.TrimRight(v, "/")
		return checkHTTPURL(v)
	}},
	{"QUNBOT_APP_AGENT_ID", "wecom.app.agent_id", "", false, func(c *Config, v string) (err error) {
		if v == "" {
			return nil
		}
		c.WeCom.App.AgentID, err = strconv.Atoi(v)
		if err != nil || c.WeCom.App.AgentID <= 0 {
			return errors.New("应为正整数")
		}
		return nil
	}},
	{"QUNBOT_APP_SECRET", "wecom.app.secret", "", true, func(c *Config, v string) error {
		c.WeCom.App.Secret = v
		return nil
	}},
	{"QUNBOT_APP_TOKEN", "wecom.app.token", "", true, func(c *Config, v string) error {
		c.WeCom.App.Token = v
		return checkToken(v)
	}},
	{"QUNBOT_APP_AES_KEY", "wecom.app.aes_key", "", true, func(c *Config, v string) error {
		c.WeCom.App.AESKey = v
		return checkAESKey(v)
	}},
	{"QUNBOT_AIBOT_TOKEN", "wecom.aibot.token", "", true, func(c *Config, v string) error {
		c.WeCom.AIBot.Token = v
		return checkToken(v)
	}},
	{"QUNBOT_AIBOT_AES_KEY", "wecom.aibot.aes_key", "", true, func(c *Config, v string) error {
		c.WeCom.AIBot.AESKey = v
		return checkAESKey(v)
	}},
	{"QUNBOT_AIBOT_BOT_ID", "wecom.aibot.bot_id", "", false, func(c *Config, v string) error {
		c.WeCom.AIBot.BotID = v
		return nil
	}},
	{"QUNBOT_AIBOT_SECRET", "wecom.aibot.secret", "", true, func(c *Config, v string) error {
		c.WeCom.AIBot.Secret = v
		return nil
	}},
	{"QUNBOT_AIBOT_WS_URL", "wecom.aibot.ws_url", "wss://openws.work.weixin.qq.com", false, func(c *Config, v string) error {
		c.WeCom.AIBot.WSURL = v
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
			return errors.New("应为 ws 或 wss 地址，如 wss://openws.work.weixin.qq.com")
		}
		return nil
	}},
	{"QUNBOT_AIBOT_WS_PING", "wecom.aibot.ws_ping", "30s", false, func(c *Config, v string) (err error) {
		c.WeCom.AIBot.WSPing, err = time.ParseDuration(v)
		if err != nil || c.WeCom.AIBot.WSPing <= 0 {
			return errors.New("应为大于0的时长，如 30s")
		}
		return nil
	}},
	{"QUNBOT_ARCHIVE_SECRET", "wecom.archive.secret", "", true, func(c *Config, v string) error {
		c.WeCom.Archive.Secret = v
		return nil
	}},
	{"QUNBOT_ARCHIVE_PRIVATE_KEY_FILE", "wecom.archive.private_key_file", "", false, func(c *Config, v string) error {
		c.WeCom.Archive.PrivateKeyFile = v
		return nil
	}},
	{"QUNBOT_ARCHIVE_POLL", "wecom.archive.poll", "1m", false, func(c *Config, v string) (err error) {
		c.WeCom.Archive.Poll, err = time.ParseDuration(v)
		if err != nil || c.WeCom.Archive.Poll < time.Second {
			return errors.New("应为不小于 1s 的时长，如 1m")
		}
		return nil
	}},
	{"QUNBOT_ARCHIVE_BOT_IDS", "wecom.archive.bot_ids", "", false, func(c *Config, v string) error {
		c.WeCom.Archive.BotIDs = splitList(v)
		return nil
	}},
	{"QUNBOT_ARCHIVE_FAKE_URL", "wecom.archive.fake_url", "", false, func(c *Config, v string) error {
		c.WeCom.Archive.FakeURL = strings.TrimRight(v, "/")
		if v == "" {
			return nil
		}
		return checkHTTPURL(v)
	}},
}

// EnvKeys lists the environment variable of every setting (secrets'
// _FILE variants aside), so deployment files can be checked against it.
func EnvKeys() []string {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.env
	}
	return keys
}

func notEmpty(v string) error {
	if v == "" {
		return errors.New("不能为空")
	}
	return nil
}

func oneOf(dst *string, v string, allowed ...string) error {
	*dst = strings.ToLower(v)
	for _, a := range allowed {
		if *dst == a {
			return nil
		}
	}
	return fmt.Errorf("应为 %s 之一", strings.Join(allowed, "、"))
}

func setTimezone(c *Config, v string) error {
	c.TimezoneName = v
	loc, err := time.LoadLocation(v)
	if err != nil || v == "" {
		return fmt.Errorf("不认识的时区「%s」，应如 Asia/Shanghai", v)
	}
	c.Timezone = loc
	return nil
}

// checkDSN never quotes the DSN back, nor the driver's words about it: they
// may hold the password.
func checkDSN(v string) error {
	if v == "" {
		return nil
	}
	if _, err := mysql.ParseDSN(v); err != nil {
		return errors.New("不是有效的 MySQL DSN，应如 user:pass@tcp(host:3306)/qunbot?parseTime=true（密码里的 / @ 等字符要避免）")
	}
	return nil
}

func checkRedisURL(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix") {
		return errors.New("应为 redis://主机:6379/0 这样的地址（可用 redis、rediss、unix）")
	}
	return nil
}

func checkHTTPURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("应为 http 或 https 地址，如 https://qyapi.weixin.qq.com")
	}
	return nil
}

func checkToken(v string) error {
	if v != "" && (len(v) > 32 || !alnum(v)) {
		return errors.New("应为不超过32个字母或数字")
	}
	return nil
}

func checkAESKey(v string) error {
	if v != "" && (len(v) != 43 || !alnum(v)) {
		return errors.New("应为43个字母或数字")
	}
	return nil
}

func alnum(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
