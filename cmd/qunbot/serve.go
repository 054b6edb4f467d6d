package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"

	"github.com/qunbot/qunbot/config"
	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

func serve(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := config.NewLogger(cfg, stdout)
	generated, err := config.EnsureDemoCredentials(cfg)
	if err != nil {
		return err
	}
	a, err := newApp(ctx, cfg, log, appOptions{})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		a.close()
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if msg := storesNotice(a.store.Embedded()); msg != "" {
		log.Info(msg, "data_dir", cfg.DataDir)
	}
	if !cfg.APIEnabled() {
		log.Info("WeCom API calls are disabled: set QUNBOT_APP_AGENT_ID and QUNBOT_APP_SECRET to post, remove and look up names")
	}
	printConnect(stdout, cfg, ln.Addr().String(), generated)
	return a.run(ctx, ln)
}

// storesNotice is the start-up line about the stores when any is embedded:
// only the embedded default (neither MySQL nor Redis set) is called that.
func storesNotice(embeddedDB, embeddedRedis bool) string {
	switch {
	case embeddedDB && embeddedRedis:
		return "running on the embedded default (SQLite under data_dir and an in-process Redis): set QUNBOT_MYSQL_DSN and QUNBOT_REDIS_URL to use MySQL and Redis"
	case embeddedRedis:
		return "database: MySQL; Redis: an in-process store, so counters, leaderboards and settings changes stay in this process (one replica only): set QUNBOT_REDIS_URL to use Redis"
	case embeddedDB:
		return "database: SQLite under data_dir (one replica only); Redis: QUNBOT_REDIS_URL: set QUNBOT_MYSQL_DSN to use MySQL"
	}
	return ""
}

// printConnect tells the operator what to paste into the WeCom console. Only
// generated demo credentials are printed; configured ones are secrets and are
// named by their setting instead.
func printConnect(w io.Writer, cfg *config.Config, addr string, generated bool) {
	show := func(key, value string) string {
		if slices.Contains(cfg.DemoKeys, key) {
			return value
		}
		return "(" + key + ")"
	}
	fmt.Fprintf(w, "\nqunbot is listening on %s\n", addr)
	if cfg.LongConn() {
		fmt.Fprintf(w, "  智能机器人: long-connection mode, bot %s, dialing %s (no callback URL; set the bot's API mode to 长连接)\n",
			cfg.WeCom.AIBot.BotID, cfg.WeCom.AIBot.WSURL)
	} else {
		fmt.Fprintf(w, "  智能机器人 callback URL: http://<your-host>%s/wecom/aibot   Token %s   EncodingAESKey %s\n",
			portOf(addr), show("QUNBOT_AIBOT_TOKEN", cfg.WeCom.AIBot.Token), show("QUNBOT_AIBOT_AES_KEY", cfg.WeCom.AIBot.AESKey))
	}
	fmt.Fprintf(w, "  self-built app callback URL: http://<your-host>%s/wecom/app   Token %s   EncodingAESKey %s   CorpID %s\n",
		portOf(addr), show("QUNBOT_APP_TOKEN", cfg.WeCom.App.Token), show("QUNBOT_APP_AES_KEY", cfg.WeCom.App.AESKey), cfg.WeCom.CorpID)
	if generated {
		fmt.Fprintf(w, "  (demo credentials generated and kept in %s/demo-credentials.json; set QUNBOT_* to use your own)\n", cfg.DataDir)
	}
	fmt.Fprintln(w, "  health: /healthz  readiness: /readyz  metrics: /metrics   try it without WeCom: qunbot sim")
}

func portOf(addr string) string {
	if _, port, err := net.SplitHostPort(addr); err == nil {
		return ":" + port
	}
	return ""
}

// loadConfig loads and validates the configuration, the per-group settings
// of the file included, so that every problem is reported at once: its error
// is one line per problem.
func loadConfig(getenv func(string) string) (*config.Config, error) {
	cfg, err := config.Load(getenv, checkSettings)
	var verr *config.ValidationError
	if errors.As(err, &verr) {
		return nil, configProblems(verr.Problems)
	}
	return cfg, err
}

// checkSettings is the rules package's check of the file's per-group
// settings, for config.Load.
func checkSettings(defaults map[string]string, groups map[string]map[string]string) []config.SettingsProblem {
	var out []config.SettingsProblem
	for _, p := range rules.CheckSettings(defaults, groups) {
		out = append(out, config.SettingsProblem{Key: p.Key, Text: p.Problem})
	}
	return out
}

// configProblems is the error that stops start-up: a heading, then one line
// per problem.
func configProblems(lines []string) error {
	return fmt.Errorf("配置有误（%d处），qunbot 未启动：\n%s", len(lines), strings.Join(lines, "\n"))
}

func migrate(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	applied, err := store.Migrate(ctx, store.Options{MySQLDSN: cfg.MySQLDSN, RedisURL: cfg.RedisURL, DataDir: cfg.DataDir})
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "schema is up to date")
	}
	for _, m := range applied {
		fmt.Fprintln(stdout, "applied", m)
	}
	return nil
}
