package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"slices"

	"github.com/qunbot/qunbot/config"
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
	db, rdb := a.store.Embedded()
	if db || rdb {
		log.Info("running on the embedded default: set QUNBOT_MYSQL_DSN and QUNBOT_REDIS_URL to use MySQL and Redis",
			"embedded_database", db, "embedded_redis", rdb, "data_dir", cfg.DataDir)
	}
	if !cfg.APIEnabled() {
		log.Info("WeCom API calls are disabled: set QUNBOT_APP_AGENT_ID and QUNBOT_APP_SECRET to post, remove and look up names")
	}
	printConnect(stdout, cfg, ln.Addr().String(), generated)
	return a.run(ctx, ln)
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

// loadConfig loads and validates the configuration; its error is one line
// per problem.
func loadConfig(getenv func(string) string) (*config.Config, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, fmt.Errorf("invalid configuration:\n%w", err)
	}
	return cfg, nil
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
