package main

import (
	"strings"
	"testing"
)

// TestSimLongConnTranscript: `qunbot sim -longconn` answers over the fake
// long connection and shows a welcome posted with aibot_send_msg into an
// internal group that has no webhook key.
func TestSimLongConnTranscript(t *testing.T) {
	got := runSimArgs(t, []string{"sim", "-longconn"},
		"in G4",
		"帮助",
		"join dave",
		"as bob",
		"签到",
		"quit",
	)
	for _, want := range []string{
		"Long-connection mode", "🤖 可用命令", "[G4 群内 · aibot_send_msg] 🤖 欢迎 Dave 加入内部讨论群", "🤖 签到成功",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "[应用消息 → alice]") {
		t.Errorf("the welcome also went to staff:\n%s", got)
	}
}
