package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/wecomtest"
	"github.com/qunbot/qunbot/config"
)

// benchOptions are the flags of `qunbot bench`.
type benchOptions struct {
	url, token, aesKey, configFile, keyword string
	spawn, floor                            bool
	pid, clients, members, groups           int
	requests, rounds                        int
	duration, warmup, timeout               time.Duration
	mix                                     [numKinds]int
}

const benchUsage = `usage: qunbot bench [flags]

Sends encrypted 智能机器人 callbacks to a qunbot over keep-alive connections
(closed loop: each client sends its next message when the last is answered),
checks every answer, and measures a bare HTTP handler (an empty 200 after
reading the body, in a separate process) under the same load. Without -url it
starts a qunbot itself (-spawn) on the embedded default, or on MySQL and
Redis when QUNBOT_MYSQL_DSN and QUNBOT_REDIS_URL are set (use scratch ones: the
run writes members, check-ins and points).

`

func parseBench(args []string, out io.Writer) (benchOptions, error) {
	var o benchOptions
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() { fmt.Fprint(out, benchUsage); fs.PrintDefaults() }
	fs.StringVar(&o.url, "url", "", "a running qunbot, e.g. http://127.0.0.1:8080 (default: -spawn one)")
	fs.BoolVar(&o.floor, "floor", false, "also measure the floor: the least a durable turn costs on the same stores (bench_floor.go)")
	fs.BoolVar(&o.spawn, "spawn", false, "start a qunbot child with a generated configuration (the default without -url)")
	fs.StringVar(&o.token, "token", "", "the 智能机器人 Token (default: as the server finds it: QUNBOT_AIBOT_TOKEN, the config file, demo credentials)")
	fs.StringVar(&o.aesKey, "aes-key", "", "the 智能机器人 EncodingAESKey (default: as -token)")
	fs.IntVar(&o.pid, "pid", 0, "with -url: the bot's process id, to report its peak RSS")
	fs.StringVar(&o.configFile, "config", "", "with -spawn: the bot's YAML instead of the generated one")
	fs.IntVar(&o.clients, "clients", 32, "concurrent keep-alive clients")
	fs.IntVar(&o.members, "members", 1000, "members sending")
	fs.IntVar(&o.groups, "groups", 50, "groups they are in")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured time of each run")
	fs.IntVar(&o.requests, "requests", 0, "measured requests of each run instead of -duration")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured load before each run")
	fs.IntVar(&o.rounds, "rounds", 1, "rounds of bare then bot")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "per request")
	mix := fs.String("mix", "70,10,10,10", "weights of chat, 签到, 积分 and a keyword question")
	fs.StringVar(&o.keyword, "keyword", "请问营业时间是几点？", "the keyword question (-spawn configures a reply to 营业时间)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("bench: unexpected argument %q", fs.Arg(0))
	}
	if o.url != "" && o.spawn {
		return o, errors.New("bench: -url and -spawn exclude each other")
	}
	o.spawn = o.url == ""
	var err error
	if o.mix, err = parseMix(*mix); err != nil {
		return o, err
	}
	if o.clients < 1 || o.members < 1 || o.groups < 1 || o.rounds < 1 || o.requests < 0 ||
		o.requests == 0 && o.duration <= 0 || o.warmup < 0 || o.timeout <= 0 {
		return o, errors.New("bench: -clients, -members, -groups and -rounds must be at least 1, and -duration or -requests positive")
	}
	return o, nil
}

func parseMix(s string) ([numKinds]int, error) {
	var mix [numKinds]int
	parts := strings.Split(s, ",")
	total := 0
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 || len(parts) != int(numKinds) {
			return mix, fmt.Errorf("bench: -mix %q: want four weights such as 70,10,10,10", s)
		}
		mix[i], total = n, total+n
	}
	if total == 0 {
		return mix, fmt.Errorf("bench: -mix %q: all weights are 0", s)
	}
	return mix, nil
}

// bench is `qunbot bench`: the bot and a bare handler, under the same load.
func bench(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	o, err := parseBench(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	api := wecomtest.NewAPI() // WeCom for the spawned bot, and every message's response_url
	defer api.Close()
	tag := strconv.FormatInt(time.Now().Unix(), 36)
	for i := range o.members {
		api.SetUser(benchMember(tag, i), "成员"+strconv.Itoa(i+1))
	}
	botT, keys, err := o.botTarget(ctx, getenv, api)
	if err != nil {
		return err
	}
	defer botT.stop()
	crypto, err := bot.NewCrypto(keys.token, keys.aesKey, "")
	if err != nil {
		return fmt.Errorf("bench: 智能机器人 keys: %w", err)
	}
	run := benchRun{bot: botT, crypto: crypto, api: api, tag: tag}
	if run.bare, err = spawnBare(ctx); err != nil {
		return err
	}
	defer run.bare.stop()
	if o.floor {
		if run.floor, err = spawnFloor(ctx, keys, getenv); err != nil {
			return err
		}
		defer run.floor.stop()
	}
	return measure(ctx, o, run, stdout)
}

// aibotKeyPair is a 智能机器人's Token and EncodingAESKey.
type aibotKeyPair struct{ token, aesKey string }

// botTarget starts the bot (-spawn) or names the running one (-url), with
// the keys to talk to it.
func (o benchOptions) botTarget(ctx context.Context, getenv func(string) string, api *wecomtest.API) (*target, aibotKeyPair, error) {
	if o.spawn {
		return spawnBot(ctx, o, getenv, api)
	}
	token, key, err := aibotKeys(o, getenv)
	if err != nil {
		return nil, aibotKeyPair{}, err
	}
	return &target{url: strings.TrimRight(o.url, "/"), pid: o.pid, what: o.url}, aibotKeyPair{token, key}, nil
}

// aibotKeys finds the 智能机器人 keys as the server does: flags first, then
// the environment and config file, then the demo credentials it generated.
// Nothing is generated here.
func aibotKeys(o benchOptions, getenv func(string) string) (token, key string, err error) {
	if o.token != "" && o.aesKey != "" {
		return o.token, o.aesKey, nil
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return "", "", err
	}
	if _, statErr := os.Stat(filepath.Join(cfg.DataDir, config.DemoFile)); statErr == nil {
		if _, err := config.EnsureDemoCredentials(cfg); err != nil {
			return "", "", err
		}
	}
	token, key = cmp.Or(o.token, cfg.WeCom.AIBot.Token), cmp.Or(o.aesKey, cfg.WeCom.AIBot.AESKey)
	if token == "" || key == "" {
		return "", "", errors.New("bench: no 智能机器人 Token and EncodingAESKey: give -token and -aes-key, or run where the server finds them")
	}
	return token, key, nil
}

// benchRun is what measure drives: the targets (floor only with -floor)
// and the load's keys.
type benchRun struct {
	bot, bare, floor *target
	crypto           *bot.Crypto
	api              *wecomtest.API
	tag              string // makes member ids and msgids unique to this invocation
}

// measure runs the rounds (bare, the floor, then bot) and prints the table.
func measure(ctx context.Context, o benchOptions, r benchRun, out io.Writer) error {
	fmt.Fprintf(out, "qunbot bench: %d clients, %d members in %d groups, mix chat/签到/积分/keyword %d/%d/%d/%d, %s per run after %s warm-up, %d round(s)\n",
		o.clients, o.members, o.groups, o.mix[kindChat], o.mix[kindCheckin], o.mix[kindPoints], o.mix[kindKeyword],
		runLength(o), o.warmup, o.rounds)
	fmt.Fprintf(out, "  bot:   %s\n  bare:  %s\n", r.bot.what, r.bare.what)
	targets := []struct {
		name string
		t    *target
	}{{"bare", r.bare}, {"bot", r.bot}}
	if r.floor != nil {
		fmt.Fprintf(out, "  floor: %s\n", r.floor.what)
		targets = slices.Insert(targets, 1, targets[0])
		targets[1].name, targets[1].t = "floor", r.floor
	}
	fmt.Fprintln(out)
	var ms []measurement
	for round := 1; round <= o.rounds; round++ {
		for _, t := range targets {
			spec := loadSpec{URL: t.t.url + "/wecom/aibot", Crypto: r.crypto, Clients: o.clients, Members: o.members,
				Groups: o.groups, Requests: o.requests, Duration: o.duration, Warmup: o.warmup, Mix: o.mix,
				Keyword: o.keyword, Timeout: o.timeout, Tag: r.tag, Run: fmt.Sprintf("%s-%d-%s", r.tag, round, t.name),
				ResponseURL: r.api.ResponseURL("")}
			res := runLoad(ctx, spec)
			if err := ctx.Err(); err != nil {
				return err
			}
			m := measurement{target: t.name, round: round, result: res}
			if t.t.pid > 0 {
				m.rss, _ = peakRSS(t.t.pid) // "-" in the table when unknown
			}
			ms = append(ms, m)
			fmt.Fprintf(out, "  round %d %-5s %8.0f req/s  p99 %s  errors %d\n", round, t.name, res.rate(), ms3(res.percentile(0.99)), res.failed())
		}
	}
	fmt.Fprintln(out)
	printTable(out, ms)
	if late := len(r.api.CallsTo("/cgi-bin/aibot/response")); late > 0 {
		fmt.Fprintf(out, "replies posted late to response_url: %d\n", late)
	}
	return nil
}

func runLength(o benchOptions) string {
	if o.requests > 0 {
		return strconv.Itoa(o.requests) + " requests"
	}
	return o.duration.String()
}
