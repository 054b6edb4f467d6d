package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot/archive"
	"github.com/qunbot/qunbot/bot/wecomtest"
	"github.com/qunbot/qunbot/config"
	"github.com/qunbot/qunbot/store/storetest"
)

// harness runs the fully wired app in-process: real HTTP server, real crypto,
// real stores (embedded), the fake WeCom API and a clock the test moves.
type harness struct {
	t     testing.TB
	app   *app
	api   *wecomtest.API
	send  *wecomtest.Sender
	srv   *httptest.Server
	clock *testClock
	cfg   *config.Config
	// keyPrefix is the Redis key prefix of a test on a shared Redis.
	keyPrefix string
	mu        sync.Mutex
	seq       int

	archive  *archive.Fake       // the fake message archive (withArchive)
	ws       *wecomtest.LongConn // the fake long-connection server (withLongConn)
	killConn func()              // stops the long connection as a dying process would
}

// defaultYAML gives every test one group of each kind of channel.
const defaultYAML = `
admins: [boss]
groups:
  G1: {kind: internal, name: 产品交流群, owner: owner1, webhook_key: hook-g1}
  G2: {kind: appchat, name: 项目群, owner: owner1}
  G3: {kind: external, name: 客户群, owner: owner1}
  G4: {kind: internal, name: 内部群, owner: owner1}
`

const testAdminToken = "test-admin-token"

type harnessOption func(*harnessSetup)

type harnessSetup struct {
	yaml    string
	env     map[string]string
	now     time.Time
	backend *storetest.Backend
	// replyBudget and callbackBudget replace the handlers' defaults.
	replyBudget, callbackBudget time.Duration
	logs                        io.Writer // when set, the service logger (config.NewLogger) writes here

	longConn bool
	lease    leaseTiming
	archive  bool // full-traffic mode on a fake archive (withArchive)
}

// onBackend runs the app on b's stores instead of the embedded default.
func onBackend(b storetest.Backend) harnessOption { return func(s *harnessSetup) { s.backend = &b } }

// eachBackend runs fn on the embedded stores and, when QUNBOT_TEST_MYSQL_DSN
// and/or QUNBOT_TEST_REDIS_URL are set, on the live servers too.
func eachBackend(t *testing.T, fn func(t *testing.T, h *harness), opts ...harnessOption) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			fn(t, newHarness(t, append([]harnessOption{onBackend(b)}, opts...)...))
		})
	}
}

// withYAML replaces the configuration file.
func withYAML(y string) harnessOption { return func(s *harnessSetup) { s.yaml = y } }

// withEnv sets extra environment variables.
func withEnv(k, v string) harnessOption { return func(s *harnessSetup) { s.env[k] = v } }

// withBudgets sets how long a callback with a response_url waits for its
// reply, and how long any other callback's decision may take.
func withBudgets(reply, callback time.Duration) harnessOption {
	return func(s *harnessSetup) { s.replyBudget, s.callbackBudget = reply, callback }
}

// withLogs makes the app log through the service logger into w.
func withLogs(w io.Writer) harnessOption { return func(s *harnessSetup) { s.logs = w } }

// withNow starts the clock at t.
func withNow(t time.Time) harnessOption { return func(s *harnessSetup) { s.now = t } }

// harnessStart is a Saturday afternoon in Shanghai.
var harnessStart = time.Date(2026, 11, 21, 14, 0, 0, 0, time.FixedZone("CST", 8*3600))

func newHarness(t testing.TB, opts ...harnessOption) *harness {
	t.Helper()
	setup := harnessSetup{yaml: defaultYAML, env: map[string]string{}, now: harnessStart, lease: testLease}
	for _, o := range opts {
		o(&setup)
	}
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "qunbot.yaml")
	if err := os.WriteFile(cfgFile, []byte(setup.yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	api := wecomtest.NewAPI()
	t.Cleanup(api.Close)
	env := map[string]string{
		"QUNBOT_CONFIG": cfgFile, "QUNBOT_DATA_DIR": dir, "QUNBOT_WECOM_API_BASE": api.URL(),
		"QUNBOT_CORP_ID": "wwtestcorp", "QUNBOT_APP_AGENT_ID": "1000002", "QUNBOT_APP_SECRET": "test-secret",
		"QUNBOT_ADMIN_TOKEN": testAdminToken,
	}
	keyPrefix := ""
	if b := setup.backend; b != nil {
		env["QUNBOT_MYSQL_DSN"], env["QUNBOT_REDIS_URL"], keyPrefix = b.Options.MySQLDSN, b.Options.RedisURL, b.Options.KeyPrefix
	}
	var ws *wecomtest.LongConn
	if setup.longConn {
		ws = fakeLongConn(t, env)
	}
	var fake *archive.Fake
	if setup.archive {
		fake = fakeArchive(t, dir, env)
	}
	for k, v := range setup.env {
		env[k] = v
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	if _, err := config.EnsureDemoCredentials(cfg); err != nil {
		t.Fatal(err)
	}
	clock := &testClock{now: setup.now}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if setup.logs != nil {
		log = config.NewLogger(cfg, setup.logs)
	}
	a, err := newApp(context.Background(), cfg, log, appOptions{now: clock.Now, manual: true, keyPrefix: keyPrefix,
		replyBudget: setup.replyBudget, callbackBudget: setup.callbackBudget, lease: setup.lease, archive: fake})
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	t.Cleanup(a.close)
	var killConn func()
	if ws != nil {
		ws.SetClock(clock.Now)
		killConn = startLongConn(t, a)
	}
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	h := &harness{t: t, app: a, api: api, srv: srv, clock: clock, cfg: cfg, keyPrefix: keyPrefix, ws: ws, killConn: killConn, archive: fake}
	h.send = &wecomtest.Sender{
		Base: srv.URL, Now: clock.Now,
		AIBot: wecomtest.Keys{Token: cfg.WeCom.AIBot.Token, AESKey: cfg.WeCom.AIBot.AESKey},
		App:   wecomtest.Keys{Token: cfg.WeCom.App.Token, AESKey: cfg.WeCom.App.AESKey, ReceiveID: cfg.WeCom.CorpID},
	}
	return h
}

func (h *harness) nextID(prefix string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	return fmt.Sprintf("%s-%d", prefix, h.seq)
}

// say sends an @-message to the 智能机器人 and returns its passive reply.
func (h *harness) say(chatID, from, text string) string {
	h.t.Helper()
	return h.sayID(h.nextID("msg"), chatID, from, text)
}

// sayID is say with a fixed msgid, for redelivery tests.
func (h *harness) sayID(msgID, chatID, from, text string) string {
	h.t.Helper()
	r, err := h.send.AIBotText(context.Background(), msgID, chatID, from, text)
	return h.replyText(r, err)
}

// dm sends a 1:1 message to the app and returns its passive reply.
func (h *harness) dm(from, text string) string {
	h.t.Helper()
	r, err := h.send.AppText(context.Background(), h.nextID("dm"), from, text)
	return h.replyText(r, err)
}

func (h *harness) replyText(r wecomtest.Reply, err error) string {
	h.t.Helper()
	if err != nil {
		h.t.Fatalf("callback: %v", err)
	}
	if r.Status != http.StatusOK {
		h.t.Fatalf("callback status %d: %s", r.Status, r.Body)
	}
	return r.Text
}

// join delivers a change_external_chat add_member event.
func (h *harness) join(chatID string, scene int, users ...string) {
	h.t.Helper()
	h.memberChange(wecomtest.MemberChange{ChatID: chatID, Detail: "add_member", UserIDs: users, Scene: scene, At: h.clock.Now()})
}

// leave delivers a change_external_chat del_member event.
func (h *harness) leave(chatID string, scene int, users ...string) {
	h.t.Helper()
	h.memberChange(wecomtest.MemberChange{ChatID: chatID, Detail: "del_member", UserIDs: users, Scene: scene, At: h.clock.Now()})
}

func (h *harness) memberChange(mc wecomtest.MemberChange) {
	h.t.Helper()
	r, err := h.send.AppMemberChange(context.Background(), mc)
	h.replyText(r, err)
}

// click delivers a template_card_event.
func (h *harness) click(from, eventKey, taskID string) string {
	h.t.Helper()
	r, err := h.send.AppCardClick(context.Background(), from, eventKey, taskID, h.clock.Now())
	return h.replyText(r, err)
}

func (h *harness) advance(d time.Duration) { h.clock.advance(d) }
func (h *harness) setNow(t time.Time)      { h.clock.set(t) }

// flush runs the outbox worker until nothing is due.
func (h *harness) flush() {
	h.t.Helper()
	for range 50 {
		n, err := h.app.worker.RunOnce(context.Background())
		if err != nil {
			h.t.Fatalf("outbox: %v", err)
		}
		if n == 0 {
			return
		}
	}
	h.t.Fatal("outbox did not settle")
}

// tick runs the scheduler once at the current clock.
func (h *harness) tick() { h.app.tickOnce(context.Background()) }

// get calls the admin API with the admin token.
func (h *harness) get(path string) (int, []byte) {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// contains fails the test unless got contains every want.
func contains(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("reply %q does not contain %q", got, w)
		}
	}
}

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}
