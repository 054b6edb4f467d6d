package main

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// benchSpec is a short closed-loop run: 200 requests from 4 clients, 20
// members in 3 groups, the default mix.
func benchSpec(url string, c *bot.Crypto) loadSpec {
	return loadSpec{URL: url, Crypto: c, Clients: 4, Members: 20, Groups: 3, Requests: 200,
		Mix: [numKinds]int{70, 10, 10, 10}, Keyword: "请问营业时间是几点？", Timeout: 10 * time.Second,
		Tag: "t", Run: "r1"}
}

// TestBenchLoadCounts runs the load against the in-process bot and checks
// that every request is counted once, under its kind, and that every 签到
// and 积分 got a passive reply that verified and decrypted.
func TestBenchLoadCounts(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		c := mustCrypto(t, h.cfg.WeCom.AIBot.Token, h.cfg.WeCom.AIBot.AESKey)
		spec := benchSpec(h.srv.URL+"/wecom/aibot", c)
		spec.Now = h.clock.Now
		r := runLoad(context.Background(), spec)
		if r.Requests != 200 || len(r.Latencies) != 200 || r.failed() != 0 {
			t.Fatalf("requests %d, latencies %d, errors %v; want 200, 200, none", r.Requests, len(r.Latencies), r.Errors)
		}
		want := [numKinds]int{140, 20, 20, 20}
		for k, c := range r.Kinds {
			if c.Sent != want[k] || c.Failed != 0 {
				t.Errorf("%s: sent %d, failed %d; want %d, 0", kindNames[k], c.Sent, c.Failed, want[k])
			}
		}
		if r.Kinds[kindCheckin].Replied != 20 || r.Kinds[kindPoints].Replied != 20 {
			t.Errorf("replies to 签到 %d, to 积分 %d; want 20 each", r.Kinds[kindCheckin].Replied, r.Kinds[kindPoints].Replied)
		}
		// The clock stands still: each group's keyword answers once per cooldown.
		if n := r.Kinds[kindKeyword].Replied; n < 1 || n > 3 {
			t.Errorf("keyword replies %d, want 1..3 (one per group)", n)
		}
	}, withYAML(benchYAML))
}

// TestBenchChecksAnswers runs the load against handlers that answer wrong:
// each wrong answer is an error of its kind, and nothing is a reply.
func TestBenchChecksAnswers(t *testing.T) {
	good := mustCrypto(t, "token", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
	other := mustCrypto(t, "token2", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
	forged, err := other.AIBotReply("s", "hi", "1", "2")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		status int
		body   []byte
		want   string
	}{
		{"bare", 200, nil, ""},
		{"server error", 500, nil, "status 500"},
		{"not json", 200, []byte("hello"), "reply: not a JSON envelope"},
		{"wrong signature", 200, forged, "reply: bad signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(answerWith(tt.status, tt.body))
			defer srv.Close()
			spec := benchSpec(srv.URL+"/wecom/aibot", good)
			spec.Requests = 50
			r := runLoad(context.Background(), spec)
			wantErrs := map[string]int{}
			if tt.want != "" {
				wantErrs[tt.want] = 50
			}
			if r.Requests != 50 || !maps.Equal(r.Errors, wantErrs) {
				t.Errorf("requests %d, errors %v; want 50, %v", r.Requests, r.Errors, wantErrs)
			}
			for k, c := range r.Kinds {
				if c.Replied != 0 {
					t.Errorf("%s: %d replies counted", kindNames[k], c.Replied)
				}
			}
		})
	}
}

// TestBenchSpawn builds the binary and runs the whole measurement as a
// stranger would: `qunbot bench -spawn -floor`, a bot, a bare server and the
// floor started for it, on the embedded default.
func TestBenchSpawn(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "qunbot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "bench", "-spawn", "-floor", "-requests", "150", "-warmup", "0", "-clients", "4",
		"-members", "30", "-groups", "3", "-rounds", "2")
	cmd.Env = append(os.Environ(), "QUNBOT_MYSQL_DSN=", "QUNBOT_REDIS_URL=", "QUNBOT_CONFIG=", "TMPDIR="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("qunbot bench: %v\n%s", err, out.String())
	}
	text := out.String()
	rows := regexp.MustCompile(`(?m)^(bare|floor|bot) +(\d) +(\d+) .* (\d+) +(\S+)$`).FindAllStringSubmatch(text, -1)
	if len(rows) != 6 {
		t.Fatalf("want 6 table rows (2 rounds of bare, floor and bot):\n%s", text)
	}
	for _, r := range rows {
		if r[3] != "150" || r[4] != "0" || r[5] == "-" {
			t.Errorf("row %q: want 150 requests, 0 errors and a peak RSS", r[0])
		}
	}
	for _, want := range []string{"bot/bare: ", "floor/bare: ", "bot/floor: ", "签到 30/30", "积分 30/30", "spawned (pid"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "errors:") {
		t.Errorf("errors reported:\n%s", text)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "qunbot-bench-*")); len(left) != 0 {
		t.Errorf("bench left %v behind", left)
	}
}

func mustCrypto(t testing.TB, token, key string) *bot.Crypto {
	t.Helper()
	c, err := bot.NewCrypto(token, key, "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// answerWith answers every request with status and body.
func answerWith(status int, body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}
