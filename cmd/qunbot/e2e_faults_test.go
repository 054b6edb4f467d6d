package main

import (
	"context"
	"database/sql"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/go-sql-driver/mysql"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/wecomtest"
	"github.com/qunbot/qunbot/store/storetest"
)

// stallProxy forwards TCP connections to target and can stop forwarding,
// the way a database that hangs looks to its clients.
type stallProxy struct {
	ln      net.Listener
	target  string
	mu      sync.Mutex
	stalled bool
	resume  chan struct{}
}

func newStallProxy(t *testing.T, target string) *stallProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &stallProxy{ln: ln, target: target, resume: make(chan struct{})}
	t.Cleanup(func() { ln.Close(); p.set(false) })
	go p.accept()
	return p
}

func (p *stallProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go func() {
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				return
			}
			go p.pipe(up, c)
			p.pipe(c, up)
		}()
	}
}

// pipe copies src to dst, holding every chunk while the proxy is stalled.
func (p *stallProxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.wait()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *stallProxy) wait() {
	p.mu.Lock()
	stalled, resume := p.stalled, p.resume
	p.mu.Unlock()
	if stalled {
		<-resume
	}
}

func (p *stallProxy) set(stalled bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stalled && !stalled {
		close(p.resume)
		p.resume = make(chan struct{})
	}
	p.stalled = stalled
}

func (p *stallProxy) addr() string { return p.ln.Addr().String() }

// hangDatabase makes the backend's database stop answering writes until the
// returned function is called: on MySQL every byte is held in a proxy; the
// embedded SQLite file is locked for writing by another connection.
type hangDatabase func(h *harness) (resume func())

// hungBackend is a backend whose database can be hung.
func hungBackend(t *testing.T, b storetest.Backend) (storetest.Backend, hangDatabase) {
	t.Helper()
	if b.Options.MySQLDSN != "" {
		cfg, err := mysql.ParseDSN(b.Options.MySQLDSN)
		if err != nil {
			t.Fatal(err)
		}
		p := newStallProxy(t, cfg.Addr)
		cfg.Addr = p.addr()
		b.Options.MySQLDSN = cfg.FormatDSN()
		return b, func(*harness) func() { p.set(true); return func() { p.set(false) } }
	}
	return b, func(h *harness) func() {
		file := filepath.Join(h.cfg.DataDir, "qunbot.db")
		db, err := sql.Open(sqlite.DriverName, file+"?_pragma=busy_timeout(10000)")
		if err != nil {
			t.Fatal(err)
		}
		conn, err := db.Conn(context.Background())
		if err == nil {
			_, err = conn.ExecContext(context.Background(), "BEGIN IMMEDIATE")
		}
		if err != nil {
			t.Fatal(err)
		}
		return func() {
			conn.ExecContext(context.Background(), "ROLLBACK")
			conn.Close()
			db.Close()
		}
	}
}

// A database that hangs: every callback is answered 503 within its budget
// (WeCom delivers it again), none is acknowledged; once it answers again the
// redeliveries get their replies, and every effect is recorded once.
func TestHungDatabaseIs503(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b, hang := hungBackend(t, b)
			h := newHarness(t, onBackend(b), withBudgets(300*time.Millisecond, 500*time.Millisecond))
			h.say("G1", "bob", "大家好")
			resume := hang(h)
			type delivery struct {
				name string
				send func() (status int, text string)
			}
			deliveries := []delivery{
				{"a member's 签到 (hot path)", func() (int, string) {
					r, err := h.send.AIBotText(context.Background(), "hung-1", "G1", "bob", "签到")
					return status(t, r, err), r.Text
				}},
				{"a new member's first message", func() (int, string) {
					r, err := h.send.AIBotText(context.Background(), "hung-2", "G1", "newbie", "大家好，我是新来的")
					return status(t, r, err), r.Text
				}},
				{"an admin command from the app chat", func() (int, string) {
					r, err := h.send.AppText(context.Background(), "hung-3", "owner1", "/in G1 /givepoints bob +3 奖励")
					return status(t, r, err), r.Text
				}},
			}
			for _, d := range deliveries {
				start := time.Now()
				if got, _ := d.send(); got != 503 {
					t.Errorf("%s with the database hung = %d, want 503", d.name, got)
				}
				if took := time.Since(start); took > 3*time.Second {
					t.Errorf("%s answered after %v, want well within WeCom's 5s", d.name, took)
				}
			}
			if b.Options.MySQLDSN != "" { // SQLite's readers are not held by a writer
				start := time.Now()
				if got, body := h.get("/api/v1/groups/G1/members/bob"); got != 503 {
					t.Errorf("admin API with the database hung = %d %s, want 503", got, body)
				}
				if took := time.Since(start); took > 3*time.Second {
					t.Errorf("admin API answered after %v, want within its budget", took)
				}
			}
			resume()
			deadline := time.Now().Add(20 * time.Second)
			for _, d := range deliveries { // WeCom's retries, until the database has caught up
				for {
					got, text := d.send()
					if got == 200 {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("%s still answered %d (%q) after the database came back", d.name, got, text)
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
			if got := h.pointsOf("G1", "bob"); got != 9 {
				t.Errorf("bob has %d points, want 9 (message 1, check-in 5, grant 3, each once)", got)
			}
			h.checkLedger()
		})
	}
}

func status(t *testing.T, r wecomtest.Reply, err error) int {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	return r.Status
}

// A message answered empty before it was decided was held; when the process
// that held it dies before answering, another one decides it and sends the
// reply to its response_url, once.
func TestHeldMessageIsFinishedByAnotherProcess(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ev := bot.Event{ID: "held-1", Channel: bot.ChannelAIBot, Kind: bot.KindMessage, At: h.clock.Now(),
			ChatID: "G1", From: "bob", MsgType: "text", Text: "签到", ResponseURL: h.api.ResponseURL("held-1")}
		if err := h.app.engine.HoldLate(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
		// the process that held it dies here; another one finds it later
		r := h.replica()
		r.advance(3 * time.Minute)
		for range 2 {
			r.app.finishHeld(context.Background())
			r.flush()
		}
		calls := r.api.CallsTo("aibot/response")
		if len(calls) != 1 || !strings.Contains(string(calls[0].Body), "签到成功") {
			t.Fatalf("response_url calls = %+v, want one with the check-in", calls)
		}
		if got := r.pointsOf("G1", "bob"); got != 5 {
			t.Errorf("bob has %d points, want 5", got)
		}
	})
}

// A message whose reply is not decided within the budget is held, answered
// empty, and answered through its response_url once decided.
func TestLateMessageIsAnsweredThroughResponseURL(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.send.ResponseURL = h.api.ResponseURL("")
		r, err := h.send.AIBotText(context.Background(), "late-1", "G1", "bob", "签到")
		if err != nil || r.Status != 200 || r.Text != "" {
			t.Fatalf("late callback = %+v %v, want an empty 200", r, err)
		}
		h.app.late.Wait()
		h.flush()
		calls := h.api.CallsTo("aibot/response")
		if len(calls) != 1 || !strings.Contains(string(calls[0].Body), "签到成功") {
			t.Fatalf("response_url calls = %+v, want one with the check-in", calls)
		}
		held, err := h.app.store.HeldEvents(context.Background(), h.clock.Now().Add(time.Hour), 10)
		if err != nil || len(held) != 0 {
			t.Errorf("held after the late answer: %v %v, want none", held, err)
		}
	}, withBudgets(time.Nanosecond, 0))
}
