package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// badYAML holds one mistake of every sort: a value of the wrong shape
// (addr: 8080), a bad field, a structural mistake and bad per-group
// settings, in the defaults and in a group.
const badYAML = `
addr: 8080
log_level: loud
wecom:
  app: {agent_id: abc}
defaults:
  checkin: {points: abc}
  violation: {expire: 3days}
  replies:
    "/(bad/": x
groups:
  G1: {kind: weird, message: {cooldown: 99d}}
  G2: [1, 2]
`

// englishWords are words an English sentence cannot do without: a problem
// holding one (outside key names, examples and quoted values) is English.
var englishWords = regexp.MustCompile(`(?i)\b(must|is|are|be|not|the|or|and|of|to|from|want|unknown|setting|cannot|valid|only|such|as|e\.g)\b`)

// TestEveryConfigProblemAtOnce: one start-up names every problem of the
// environment, the file and the file's per-group settings, one line each,
// all in Chinese.
func TestEveryConfigProblemAtOnce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "qunbot.yaml")
	if err := os.WriteFile(path, []byte(badYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"QUNBOT_CONFIG": path, "QUNBOT_DATA_DIR": dir, "QUNBOT_TIMEZONE": "Mars/Base",
		"QUNBOT_REDIS_URL": "http://cache"}
	var out, errOut strings.Builder
	code := run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	want := []string{
		"QUNBOT_ADDR（" + path + " 中的 addr）：",
		"QUNBOT_LOG_LEVEL（" + path + " 中的 log_level）：",
		"QUNBOT_APP_AGENT_ID（" + path + " 中的 wecom.app.agent_id）：",
		"QUNBOT_TIMEZONE：",
		"QUNBOT_REDIS_URL：",
		"QUNBOT_CONFIG（" + path + " 中的 groups.G2）：",
		"QUNBOT_CONFIG（" + path + " 中的 defaults.checkin.points）：",
		"QUNBOT_CONFIG（" + path + " 中的 defaults.violation.expire）：",
		"QUNBOT_CONFIG（" + path + " 中的 defaults.replies./(bad/）：",
		"QUNBOT_CONFIG（" + path + " 中的 groups.G1.kind）：",
		"QUNBOT_CONFIG（" + path + " 中的 groups.G1.message.cooldown）：",
	}
	if len(lines) != len(want)+1 {
		t.Errorf("%d lines, want a heading and %d problems:\n%s", len(lines), len(want), errOut.String())
	}
	for _, w := range want {
		n := 0
		for _, l := range lines {
			if strings.Contains(l, w) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d lines name %q, want 1:\n%s", n, w, errOut.String())
		}
	}
	if !strings.HasPrefix(lines[0], "qunbot: 配置有误（11处）") {
		t.Errorf("heading %q, want it to count the problems", lines[0])
	}
	for _, l := range lines[1:] {
		_, problem, _ := strings.Cut(l, "）：")
		if problem == "" {
			_, problem, _ = strings.Cut(l, "：")
		}
		bare := regexp.MustCompile(`「[^」]*」`).ReplaceAllString(problem, "")
		if !strings.ContainsFunc(problem, func(r rune) bool { return unicode.Is(unicode.Han, r) }) || englishWords.MatchString(bare) {
			t.Errorf("line %q is not in Chinese", l)
		}
	}
}

// TestHealthcheckUsesConfiguredAddr: `qunbot healthcheck` probes the address
// the server was configured with, from the file or the environment.
func TestHealthcheckUsesConfiguredAddr(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
		}
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())

	dir := t.TempDir()
	path := filepath.Join(dir, "qunbot.yaml")
	if err := os.WriteFile(path, []byte("addr: \":"+port+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		code int
	}{
		{"from the file", map[string]string{"QUNBOT_CONFIG": path}, 0},
		{"from the environment", map[string]string{"QUNBOT_ADDR": "127.0.0.1:" + port}, 0},
		{"the environment wins", map[string]string{"QUNBOT_CONFIG": path, "QUNBOT_ADDR": "127.0.0.1:1"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errOut strings.Builder
			code := run(context.Background(), []string{"healthcheck"}, func(k string) string { return tt.env[k] },
				strings.NewReader(""), &strings.Builder{}, &errOut)
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, errOut.String())
			}
		})
	}
}
