package main

import (
	"context"
	"strings"
	"testing"
)

// TestSimTranscript drives `qunbot sim` the way a person would, through its
// prompt, and reads what it shows.
func TestSimTranscript(t *testing.T) {
	got := runSim(t,
		"帮助",
		"as bob",
		"/admin add carol",
		"as alice",
		"/admin add @Bob",
		"in G2",
		"dm /in G1 /admin list",
		"time +1d",
		"?",
		"quit",
	)
	for _, want := range []string{
		"qunbot sim", "可用命令", "无权限", "已将 Bob 设为本群管理员", "本群管理员：Bob", "🕒", "as <user>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q:\n%s", want, got)
		}
	}
}

// runSim types lines at `qunbot sim` and returns what it printed.
func runSim(t *testing.T, lines ...string) string {
	t.Helper()
	return runSimArgs(t, []string{"sim"}, lines...)
}

// runSimArgs is runSim with the command line args (e.g. sim -longconn).
func runSimArgs(t *testing.T, args []string, lines ...string) string {
	t.Helper()
	var out, errOut strings.Builder
	script := strings.NewReader(strings.Join(lines, "\n"))
	if code := run(context.Background(), args, func(string) string { return "" }, script, &out, &errOut); code != 0 {
		t.Fatalf("sim exit %d: %s", code, errOut.String())
	}
	return out.String()
}
