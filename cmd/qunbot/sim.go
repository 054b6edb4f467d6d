package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/archive"
	"github.com/qunbot/qunbot/bot/wecomtest"
	"github.com/qunbot/qunbot/config"
)

// simGroups are the groups of the simulated company: one of each kind, so
// every channel of INTERFACE.md section 7 can be seen.
const simGroups = `
admins: [alice]
groups:
  G1: {kind: internal, name: 产品交流群, owner: alice, webhook_key: sim-webhook-g1}
  G2: {kind: appchat, name: 项目攻坚群, owner: alice}
  G3: {kind: external, name: 客户福利群, owner: alice}
`

// simGroupIDs are the groups the fake WeCom knows.
var simGroupIDs = []string{"G1", "G2", "G3"}

// simPeople are the members of the simulated company and their names.
var simPeople = []struct{ id, name string }{
	{"alice", "Alice"}, {"bob", "Bob"}, {"carol", "Carol"}, {"dave", "Dave"}, {"erin", "Erin"},
}

// sim is a local WeCom: the real bot on embedded stores, a fake WeCom API,
// and a prompt that types as any member. Every line travels through the real
// encrypted callback path.
func sim(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(stdout)
	dataDir := fs.String("data", "", "keep the simulated bot's data in this `folder`, to carry on where a run stopped (default: a temporary folder, removed at the end)")
	longConn := fs.Bool("longconn", false, "run the 智能机器人 over the long connection (WebSocket) instead of webhook callbacks")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil // -h: the flags are printed
	} else if err != nil {
		return err
	}
	s, err := startSim(ctx, *dataDir, stdout, *longConn)
	if err != nil {
		return err
	}
	defer s.stop()
	s.flagsHelp = flagsHelp(fs)
	fmt.Fprint(stdout, simIntro)
	if *longConn {
		fmt.Fprint(stdout, simLongConnIntro)
	}
	s.repl(ctx, stdin)
	return nil
}

type simulation struct {
	out    io.Writer
	app    *app
	api    *wecomtest.API
	send   *wecomtest.Sender
	clock  *simClock
	cancel context.CancelFunc
	done   chan error
	tmp    string
	// dataDir holds the bot's data and, unless it is tmp, the fake
	// WeCom's member lists between runs.
	dataDir string

	flagsHelp string // the flags of `qunbot sim`, for `?`

	mu       sync.Mutex
	lastTask string // task id of the last card shown, for `click`
	user     string
	chat     string
	seq      int

	archive *archive.Fake // the message archive the bot pulls (full-traffic mode)

	ws *wecomtest.LongConn // the fake long-connection server with -longconn
	// handled gets one value per callback the long connection has answered.
	handled chan struct{}
}

func startSim(ctx context.Context, dataDir string, out io.Writer, longConn bool) (*simulation, error) {
	s := &simulation{out: out, clock: &simClock{}, user: "alice", chat: "G1", handled: make(chan struct{}, 16)}
	if dataDir == "" {
		tmp, err := os.MkdirTemp("", "qunbot-sim-")
		if err != nil {
			return nil, err
		}
		dataDir, s.tmp = tmp, tmp
	}
	s.api = wecomtest.NewAPI()
	for _, p := range simPeople {
		s.api.SetUser(p.id, p.name)
	}
	s.api.OnCall(s.show)
	s.dataDir = dataDir
	groups := simGroups
	env := map[string]string{
		"QUNBOT_DATA_DIR": dataDir, "QUNBOT_WECOM_API_BASE": s.api.URL(),
		"QUNBOT_CORP_ID": "wwsimcorp", "QUNBOT_APP_AGENT_ID": "1000002", "QUNBOT_APP_SECRET": "sim-secret",
		"QUNBOT_LOG_LEVEL": "error",
	}
	if longConn {
		groups += simLongConnGroup
		s.ws = wecomtest.NewLongConn("sim-aibot", "sim-ws-secret")
		s.ws.SetClock(s.clock.now)
		s.ws.OnFrame(s.showFrame)
		env["QUNBOT_AIBOT_BOT_ID"], env["QUNBOT_AIBOT_SECRET"], env["QUNBOT_AIBOT_WS_URL"] = "sim-aibot", "sim-ws-secret", s.ws.URL()
	}
	fake, err := simArchive(dataDir, env)
	if err != nil {
		return nil, err
	}
	s.archive = fake
	cfgFile := filepath.Join(dataDir, "sim.yaml")
	if err := os.WriteFile(cfgFile, []byte(groups), 0o600); err != nil {
		return nil, err
	}
	env["QUNBOT_CONFIG"] = cfgFile
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		return nil, err
	}
	if _, err := config.EnsureDemoCredentials(cfg); err != nil {
		return nil, err
	}
	a, err := newApp(ctx, cfg, config.NewLogger(cfg, out), appOptions{now: s.clock.now, manual: true,
		longConnHandled: s.noteHandled, archive: fake})
	if err != nil {
		return nil, err
	}
	if seq, err := a.store.ArchiveCursor(ctx); err == nil { // a -data folder's cursor is past the fresh fake's start
		fake.SkipTo(seq)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.close()
		return nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	s.app, s.cancel, s.done = a, cancel, make(chan error, 1)
	go func() { s.done <- a.run(runCtx, ln) }()
	s.send = &wecomtest.Sender{
		Base: "http://" + ln.Addr().String(), Now: s.clock.now,
		AIBot: wecomtest.Keys{Token: cfg.WeCom.AIBot.Token, AESKey: cfg.WeCom.AIBot.AESKey},
		App:   wecomtest.Keys{Token: cfg.WeCom.App.Token, AESKey: cfg.WeCom.App.AESKey, ReceiveID: cfg.WeCom.CorpID},
	}
	s.seedGroups()
	if s.ws != nil {
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := s.ws.WaitSubscribed(wctx, 1); err != nil {
			s.stop()
			return nil, fmt.Errorf("the long connection did not subscribe: %w", err)
		}
	}
	return s, nil
}

// seedGroups gives the fake WeCom its member lists, so read-backs of the
// groups (groupchat/get, appchat/get) answer like a real tenant.
func (s *simulation) seedGroups() {
	saved := s.loadGroups()
	ids := simGroupIDs
	if s.ws != nil {
		ids = append(slices.Clone(ids), simLongConnGroupID)
	}
	for _, id := range ids {
		if g, ok := saved[id]; ok { // a -data folder keeps who is in which group
			s.api.SetGroup(g)
			continue
		}
		g := bot.GroupInfo{ChatID: id, Owner: "alice"}
		for _, p := range simPeople[:3] {
			g.Members = append(g.Members, bot.GroupMember{UserID: p.id, Name: p.name, Type: 1})
		}
		s.api.SetGroup(g)
	}
}

func (s *simulation) stop() {
	s.cancel()
	<-s.done
	s.saveGroups()
	s.api.Close()
	if s.ws != nil {
		s.ws.Close()
	}
	if s.tmp != "" {
		os.RemoveAll(s.tmp)
	}
}

// settle delivers everything the last line caused, the way the background
// worker would, so the transcript reads in order.
func (s *simulation) settle(ctx context.Context) {
	s.app.tickOnce(ctx)
	for range 20 {
		n, err := s.app.worker.RunOnce(ctx)
		if err != nil {
			fmt.Fprintf(s.out, "  ⚠ outbox: %v\n", err)
			return
		}
		if n == 0 {
			return
		}
	}
}

const simIntro = `qunbot sim — a local WeCom. You are alice (an admin) in G1.
Groups: G1 产品交流群 (internal, webhook), G2 项目攻坚群 (appchat), G3 客户福利群 (external).
Address book: alice bob carol dave erin. At first alice, bob and carol are in every group, dave and erin in none
("join dave" adds dave to the current group; -data keeps the groups as a run leaves them). Anyone else who joins
is a stranger to the address book.
Type "?" for the prompt's own commands; anything else is said to the bot (with an @-mention).
"archive <text>" says it without the @: only the message archive (会话存档, full-traffic mode) lets the bot see it.
`

// simLongConnGroup is an internal group without a webhook key: only the long
// connection lets the bot post into it.
const (
	simLongConnGroupID = "G4"
	simLongConnGroup   = `  G4: {kind: internal, name: 内部讨论群, owner: alice}
`
)

const simLongConnIntro = `Long-connection mode: the 智能机器人 dials a fake WeCom over WebSocket; answers go back on each
message's req_id, and posts go into a group by aibot_send_msg once someone there has spoken to the bot.
G4 内部讨论群 (internal, no webhook) shows it: say something in G4, then "join dave".
`

// passTime moves the clock forward by d, stopping at every instant a run
// falls due on the way (a scheduled post, a report and its alerts, 积分王)
// so that each happens at its time, in order, and is shown as it happens.
func (s *simulation) passTime(ctx context.Context, d time.Duration) error {
	loc := s.app.engine.Location()
	end := s.clock.now().Add(d)
	for {
		at, ok, err := s.app.engine.NextDue(ctx, s.clock.now())
		if err != nil {
			return err
		}
		if !ok || at.After(end) {
			break
		}
		s.clock.advance(at.Sub(s.clock.now()))
		fmt.Fprintf(s.out, "  🕒 %s\n", at.In(loc).Format("2006-01-02 15:04 Mon"))
		s.settle(ctx)
	}
	s.clock.advance(end.Sub(s.clock.now()))
	fmt.Fprintf(s.out, "  🕒 %s\n", s.clock.now().In(loc).Format("2006-01-02 15:04 Mon"))
	return nil
}

// flagsHelp lists the flags of `qunbot sim` for the prompt's "?".
func flagsHelp(fs *flag.FlagSet) string {
	var b strings.Builder
	b.WriteString("  started as: qunbot sim [flags]\n")
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(&b, "  -%-19s %s\n", strings.TrimSpace(f.Name+" "+arg), usage)
	})
	return b.String()
}

// simClock is the simulation's clock: real time plus a skip forward.
type simClock struct {
	mu   sync.Mutex
	skip time.Duration
}

func (c *simClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.skip)
}

func (c *simClock) advance(d time.Duration) {
	c.mu.Lock()
	c.skip += d
	c.mu.Unlock()
}

func (s *simulation) repl(ctx context.Context, in io.Reader) {
	sc := bufio.NewScanner(in)
	for {
		fmt.Fprintf(s.out, "%s@%s> ", s.user, s.chat)
		if !sc.Scan() {
			fmt.Fprintln(s.out)
			return
		}
		line := strings.TrimSpace(sc.Text())
		if line == "quit" || line == "exit" {
			return
		}
		if line == "" {
			continue
		}
		if err := s.do(ctx, line); err != nil {
			fmt.Fprintf(s.out, "  ⚠ %v\n", err)
		}
		s.settle(ctx)
	}
}
