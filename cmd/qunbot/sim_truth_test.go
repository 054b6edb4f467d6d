package main

import (
	"context"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestSimTellsTheTruth: the sim refuses what WeCom would not deliver and
// says what happened where WeCom would show nothing.
func TestSimTellsTheTruth(t *testing.T) {
	got := runSim(t,
		"as dave", "签到", // dave is in no group yet
		"as alice", "join dave frank", "join dave",
		"as dave", "签到",
		"as alice", "in G2", "/kick bob 刷屏",
		"as bob", "签到", // removed from the appchat group
		"as alice", "in G1", "/kick carol 刷屏",
		"as bob", "click remove:1", // not an admin
		"as alice", "click ignore:1", "click remove:1", // settled
		"click remove:99",
		"leave zed",
		"quit",
	)
	for _, want := range []string{
		"⚠ dave is not in G1",
		"· frank is not in the address book",
		"⚠ dave is in G1 already",
		"🤖 签到成功，积分+5，连续1天",
		"[G2 · appchat/update] 🚫 移出 [bob]",
		"⚠ bob is not in G2",
		"· bob is neither the owner nor an admin of G1: the click was refused and logged (modlog: denied); the removal is still pending",
		"· the card was settled already: Alice chose 忽略; this click changed nothing",
		"· no card has the button remove:99",
		"⚠ zed is not in G1",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	if n := strings.Count(got, "签到成功"); n != 1 {
		t.Errorf("%d check-ins went through, want only dave's after he joined", n)
	}
	if t.Failed() {
		t.Log(got)
	}
}

// TestSimKeepsIntroMembers: a join's read-back of the group leaves every
// member the bot has seen there as a member (the fake's member list agrees
// with who speaks), and a -data folder keeps the member lists for the next run.
func TestSimKeepsIntroMembers(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := startSim(ctx, dir, io.Discard, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"join dave erin", "as dave", "签到", "as erin", "签到", "as bob", "签到", "as alice", "join frank"} {
		if err := s.do(ctx, line); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		s.settle(ctx)
	}
	for _, u := range []string{"alice", "bob", "dave", "erin", "frank"} {
		m, err := s.app.engine.Member(ctx, "G1", u)
		if err != nil || m.LeftAt != nil {
			t.Errorf("G1 %s after the joins: %+v, %v; want a present member", u, m, err)
		}
	}
	s.stop()
	if _, err := os.Stat(dir + "/" + simGroupsFile); err != nil {
		t.Fatalf("the -data folder keeps no member lists: %v", err)
	}
	again, err := startSim(ctx, dir, io.Discard, false)
	if err != nil {
		t.Fatal(err)
	}
	defer again.stop()
	again.user = "dave"
	if err := again.do(ctx, "签到"); err != nil {
		t.Errorf("dave in the next run: %v", err)
	}
}

// TestSimDocumentsEveryCommand: `?` and the README name every prompt
// command and every flag of `qunbot sim`.
func TestSimDocumentsEveryCommand(t *testing.T) {
	help := runSim(t, "?", "quit")
	readme := repoFile(t, "README.md")
	for _, c := range simCommands {
		if !strings.Contains(help, c.usage) {
			t.Errorf("? does not list %q", c.usage)
		}
		if !strings.Contains(readme, "`"+c.name) {
			t.Errorf("README.md does not document the prompt command %q", c.name)
		}
	}
	var usage, errOut strings.Builder
	if code := run(context.Background(), []string{"sim", "-h"}, func(string) string { return "" }, nil, &usage, &errOut); code != 0 {
		t.Fatalf("sim -h: exit %d: %s", code, errOut.String())
	}
	flags := regexp.MustCompile(`(?m)^\s+(-\w+)`).FindAllStringSubmatch(usage.String(), -1)
	if len(flags) == 0 {
		t.Fatalf("sim -h lists no flags:\n%s", usage.String())
	}
	for _, f := range flags {
		if !strings.Contains(help, f[1]) || !strings.Contains(readme, "qunbot sim "+f[1]) {
			t.Errorf("the flag %s is not in ? and the README", f[1])
		}
	}
}
