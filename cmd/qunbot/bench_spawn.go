package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/qunbot/qunbot/bot/wecomtest"
)

// target is a server under load: its base URL, its process (0 when it is not
// ours to know) and how to stop it when bench started it.
type target struct {
	url  string
	pid  int
	what string // one line for the output
	halt func()
}

func (t *target) stop() {
	if t != nil && t.halt != nil {
		t.halt()
	}
}

// benchYAML is the spawned bot's configuration: a keyword reply for the
// keyword questions. Flood and repeat detection are off: a synthetic member
// speaks far faster than a person, and would be muted and removed.
const benchYAML = `
defaults:
  violation: {flood: 0/10s, repeat: 0/60s}
  replies:
    营业时间: 工作日 9:00-18:00 营业，周末休息
`

// spawnBot starts `qunbot serve` (this binary) on a free port with a fresh
// data folder, generated keys, the fake WeCom API and benchYAML (or
// -config), and waits until /readyz answers.
func spawnBot(ctx context.Context, o benchOptions, getenv func(string) string, api *wecomtest.API) (*target, aibotKeyPair, error) {
	var none aibotKeyPair
	dir, err := os.MkdirTemp("", "qunbot-bench-")
	if err != nil {
		return nil, none, err
	}
	cfgFile := o.configFile
	if cfgFile == "" {
		cfgFile = filepath.Join(dir, "bench.yaml")
		if err := os.WriteFile(cfgFile, []byte(benchYAML), 0o600); err != nil {
			return nil, none, err
		}
	}
	token, key := randomHex(16), randomHex(22)[:43]
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, none, err
	}
	dsn, redisURL := getenv("QUNBOT_MYSQL_DSN"), getenv("QUNBOT_REDIS_URL")
	ch, err := startChild(dir, []string{"serve"}, []string{
		"QUNBOT_ADDR=" + addr, "QUNBOT_DATA_DIR=" + dir, "QUNBOT_CONFIG=" + cfgFile,
		"QUNBOT_MYSQL_DSN=" + dsn, "QUNBOT_REDIS_URL=" + redisURL,
		"QUNBOT_AIBOT_TOKEN=" + token, "QUNBOT_AIBOT_AES_KEY=" + key, "QUNBOT_LOG_LEVEL=warn",
		"QUNBOT_WECOM_API_BASE=" + api.URL(), "QUNBOT_CORP_ID=wwbench", "QUNBOT_APP_AGENT_ID=1000002",
		"QUNBOT_APP_SECRET=bench-secret",
	})
	if err != nil {
		os.RemoveAll(dir)
		return nil, none, err
	}
	t := &target{url: "http://" + addr, pid: ch.pid(), halt: func() { ch.terminate(); os.RemoveAll(dir) }}
	if err := ch.waitReady(ctx, t.url); err != nil {
		tail := logTail(ch.log)
		t.stop()
		return nil, none, fmt.Errorf("bench: the spawned qunbot did not become ready: %w\n%s", err, tail)
	}
	stores := "embedded SQLite + in-process Redis"
	switch {
	case dsn != "" && redisURL != "":
		stores = "MySQL + Redis"
	case dsn != "":
		stores = "MySQL + in-process Redis"
	case redisURL != "":
		stores = "SQLite + Redis"
	}
	t.what = fmt.Sprintf("%s, spawned (pid %d, %s)", t.url, t.pid, stores)
	return t, aibotKeyPair{token, key}, nil
}

// spawnBare starts `qunbot bench-bare` on a free port.
func spawnBare(ctx context.Context) (*target, error) {
	return spawnHelper(ctx, "bare", nil, "net/http, reads the body, answers an empty 200")
}

// spawnFloor starts `qunbot bench-floor` (bench_floor.go) on a free port,
// on the stores the bench's environment names.
func spawnFloor(ctx context.Context, keys aibotKeyPair, getenv func(string) string) (*target, error) {
	dsn, redisURL := getenv("QUNBOT_MYSQL_DSN"), getenv("QUNBOT_REDIS_URL")
	stores := "SQLite"
	if dsn != "" {
		stores = "MySQL"
	}
	if redisURL != "" {
		stores += " + one shared Redis round trip"
	}
	return spawnHelper(ctx, "floor", []string{
		"QUNBOT_MYSQL_DSN=" + dsn, "QUNBOT_REDIS_URL=" + redisURL,
		"QUNBOT_AIBOT_TOKEN=" + keys.token, "QUNBOT_AIBOT_AES_KEY=" + keys.aesKey,
	}, "verify, decrypt, parse; "+stores+"; group-committed delivery row; empty 200")
}

// spawnHelper starts `qunbot bench-<name> <addr>` on a free port, with a
// fresh folder as QUNBOT_DATA_DIR and env, and waits until /readyz answers;
// describe is what the output says it does.
func spawnHelper(ctx context.Context, name string, env []string, describe string) (*target, error) {
	dir, err := os.MkdirTemp("", "qunbot-bench-"+name+"-")
	if err != nil {
		return nil, err
	}
	addr, err := freeLoopbackAddr()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	ch, err := startChild(dir, []string{"bench-" + name, addr}, append([]string{"QUNBOT_DATA_DIR=" + dir}, env...))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	t := &target{url: "http://" + addr, pid: ch.pid(), halt: func() { ch.terminate(); os.RemoveAll(dir) }}
	t.what = fmt.Sprintf("%s (pid %d): %s", t.url, t.pid, describe)
	if err := ch.waitReady(ctx, t.url); err != nil {
		tail := logTail(ch.log)
		t.stop()
		return nil, fmt.Errorf("bench: the %s server did not start: %w\n%s", name, err, tail)
	}
	return t, nil
}

// benchBare is the hidden `qunbot bench-bare <addr>`: the bare handler
// bench compares the bot with, served as the bot serves (same timeouts).
func benchBare(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: qunbot bench-bare <host:port>")
	}
	ln, err := net.Listen("tcp", args[0])
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: bareHandler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); srv.Close() }()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// bareHandler reads the body and answers an empty 200: the least any
// callback handler does.
func bareHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	})
}

// child is a process bench started; done closes when it has exited.
type child struct {
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error // how it exited, once done is closed
}

func (c *child) pid() int { return c.cmd.Process.Pid }

// startChild runs this binary with args, the environment plus env, and its
// output in dir/qunbot.log.
func startChild(dir string, args, env []string) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	c := &child{log: filepath.Join(dir, "qunbot.log"), done: make(chan struct{})}
	logFile, err := os.Create(c.log)
	if err != nil {
		return nil, err
	}
	c.cmd = exec.Command(exe, args...)
	c.cmd.Env = append(os.Environ(), env...) // later entries win
	c.cmd.Stdout, c.cmd.Stderr = logFile, logFile
	err = c.cmd.Start()
	logFile.Close() // the child has its own descriptor
	if err != nil {
		return nil, fmt.Errorf("bench: start %s: %w", args[0], err)
	}
	go func() { c.err = c.cmd.Wait(); close(c.done) }()
	return c, nil
}

// waitReady polls url/readyz until it answers 200, the child exits or two
// minutes pass (a first start on MySQL applies every migration).
func (c *child) waitReady(ctx context.Context, url string) error {
	deadline := time.After(2 * time.Minute)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/readyz", nil)
		if err != nil {
			return err
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-c.done:
			return fmt.Errorf("it exited (%v)", c.err)
		case <-deadline:
			return errors.New("no 200 from /readyz within 2 minutes")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// terminate asks the child to shut down and kills it if it has not after 15 s.
func (c *child) terminate() {
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(15 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}

func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// logTail is the end of a child's log, for an error message.
func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}
