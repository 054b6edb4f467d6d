package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot/wecomtest"
)

// Fixed callback credentials for the binary test (43-character AES keys).
const (
	binAppToken   = "apptoken123"
	binAppKey     = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	binAIBotToken = "aibottoken456"
	binAIBotKey   = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut"
	binCorpID     = "wwbinarycorp"
)

// TestBinaryEndToEnd builds the real binary, starts it on the embedded
// default against a fake WeCom, and drives it with encrypted callbacks.
func TestBinaryEndToEnd(t *testing.T) {
	dir := t.TempDir()
	bin := binary(t)
	api := wecomtest.NewAPI()
	defer api.Close()
	api.SetUser("carol", "Carol")
	addr := freeAddr(t)
	cmd := exec.Command(bin) // no arguments: serve is the default
	cmd.Env = append(os.Environ(),
		"QUNBOT_ADDR="+addr, "QUNBOT_DATA_DIR="+filepath.Join(dir, "data"), "QUNBOT_WECOM_API_BASE="+api.URL(),
		"QUNBOT_CORP_ID="+binCorpID, "QUNBOT_APP_AGENT_ID=1000002", "QUNBOT_APP_SECRET=s3cret",
		"QUNBOT_APP_TOKEN="+binAppToken, "QUNBOT_APP_AES_KEY="+binAppKey,
		"QUNBOT_AIBOT_TOKEN="+binAIBotToken, "QUNBOT_AIBOT_AES_KEY="+binAIBotKey,
		"QUNBOT_ADMINS=boss", "QUNBOT_MYSQL_DSN=", "QUNBOT_REDIS_URL=", "QUNBOT_CONFIG=",
	)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	output := collect(stdout)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer cmd.Process.Kill()
	waitHealthy(t, "http://"+addr)

	send := &wecomtest.Sender{
		Base:  "http://" + addr,
		AIBot: wecomtest.Keys{Token: binAIBotToken, AESKey: binAIBotKey},
		App:   wecomtest.Keys{Token: binAppToken, AESKey: binAppKey, ReceiveID: binCorpID},
	}
	ctx := context.Background()
	for _, path := range []string{"/wecom/aibot", "/wecom/app"} {
		r, err := send.VerifyURL(ctx, path, "echo-"+path)
		if err != nil || r.Status != 200 || r.Text != "echo-"+path {
			t.Errorf("verify %s = %+v, %v", path, r, err)
		}
	}
	say := func(id, from, text string) string {
		t.Helper()
		r, err := send.AIBotText(ctx, id, "G1", from, text)
		if err != nil || r.Status != 200 {
			t.Fatalf("%s: %+v, %v", text, r, err)
		}
		return r.Text
	}
	help := say("b-1", "carol", "帮助")
	if !strings.Contains(help, "规则") {
		t.Errorf("帮助 = %q", help)
	}
	if again := say("b-1", "carol", "帮助"); again != help {
		t.Errorf("retried 帮助 = %q, want %q", again, help)
	}
	if got := say("b-2", "carol", "/admin add dave"); got != "无权限" {
		t.Errorf("member /admin add = %q, want 无权限", got)
	}
	if got := say("b-3", "boss", "/admin add carol"); !strings.Contains(got, "carol") && !strings.Contains(got, "Carol") {
		t.Errorf("admin /admin add = %q", got)
	}
	if got := say("b-4", "carol", "/config checkin.points 9"); !strings.Contains(got, "checkin.points") {
		t.Errorf("new admin's /config = %q", got)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no exit 15s after SIGTERM")
	}
	out := output()
	for _, want := range []string{"embedded default", "/wecom/aibot", "/wecom/app", "(QUNBOT_AIBOT_TOKEN)"} {
		if !strings.Contains(out, want) {
			t.Errorf("start-up output lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{binAIBotToken, binAIBotKey, binAppToken, binAppKey, "s3cret"} {
		if strings.Contains(out, secret) {
			t.Errorf("start-up output shows the configured secret %q", secret)
		}
	}
}

func TestInvalidConfigurationStopsStartUp(t *testing.T) {
	env := map[string]string{"QUNBOT_TIMEZONE": "Mars/Base", "QUNBOT_LOG_LEVEL": "loud", "QUNBOT_DATA_DIR": t.TempDir()}
	var stdout, stderr strings.Builder
	code := run(context.Background(), nil, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit code = %d, want 1", code)
	}
	for _, want := range []string{"QUNBOT_TIMEZONE", "Mars/Base", "QUNBOT_LOG_LEVEL"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q: %s", want, stderr.String())
		}
	}
}

func TestMigrateCommand(t *testing.T) {
	env := map[string]string{"QUNBOT_DATA_DIR": t.TempDir()}
	getenv := func(k string) string { return env[k] }
	var out, errOut strings.Builder
	if code := run(context.Background(), []string{"migrate"}, getenv, nil, &out, &errOut); code != 0 {
		t.Fatalf("migrate = %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "applied") {
		t.Errorf("first migrate printed %q", out.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"migrate"}, getenv, nil, &out, &errOut); code != 0 {
		t.Fatalf("second migrate = %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "up to date") {
		t.Errorf("second migrate printed %q", out.String())
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s/readyz not 200 within 30s", base)
}

// collect reads a stream in the background; the returned func gives what was
// read so far once the stream has ended or after a short wait.
func collect(r io.Reader) func() string {
	var (
		mu sync.Mutex
		b  strings.Builder
	)
	done := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			mu.Lock()
			fmt.Fprintln(&b, sc.Text())
			mu.Unlock()
		}
		close(done)
	}()
	return func() string {
		select {
		case <-done:
		case <-time.After(2 * time.Second):
		}
		mu.Lock()
		defer mu.Unlock()
		return b.String()
	}
}

func TestInvalidGroupSettingsStopStartUpOneLineEach(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "q.yaml")
	yaml := "defaults:\n  checkin: {points: -3}\ngroups:\n  G1: {kind: weird}\n  G2: {name: x}\n"
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"QUNBOT_CONFIG": file, "QUNBOT_DATA_DIR": dir}
	var stdout, stderr strings.Builder
	if code := run(context.Background(), nil, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr); code != 1 {
		t.Fatalf("exit code = %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want a header and one line per problem (2):\n%s", len(lines), stderr.String())
	}
	for i, want := range []string{"defaults.checkin.points", "groups.G1.kind"} {
		if prefix := "QUNBOT_CONFIG（" + file + " 中的 " + want + "）："; !strings.HasPrefix(lines[i+1], prefix) {
			t.Errorf("line %d = %q, want it to start with %q", i+1, lines[i+1], prefix)
		}
	}
}
