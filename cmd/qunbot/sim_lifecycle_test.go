package main

import (
	"strings"
	"testing"
)

// TestSimRepliesAndWelcome drives keyword replies and a burst of joins
// through the sim prompt.
func TestSimRepliesAndWelcome(t *testing.T) {
	got := runSim(t,
		"in G2",
		"/reply add 福利 => 每周五发福利",
		"福利有吗",
		"福利有吗",
		"join dave erin",
		"time +10s",
		"/reply list",
		"quit",
	)
	for _, want := range []string{"已添加自动回复", "🤖 每周五发福利", "appchat/send] 🤖 欢迎 Dave、Erin 加入项目攻坚群", "1. 福利（包含匹配）"} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "🤖 每周五发福利"); n != 1 {
		t.Errorf("keyword answered %d times within the cooldown, want 1:\n%s", n, got)
	}
	if n := strings.Count(got, "欢迎 Dave"); n != 1 {
		t.Errorf("%d welcomes, want 1:\n%s", n, got)
	}
}
