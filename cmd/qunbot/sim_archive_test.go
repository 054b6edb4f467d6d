package main

import (
	"strings"
	"testing"
)

// TestSimArchive: `archive <text>` says text without @-mentioning the bot;
// it reaches qunbot only through the fake archive, earns a point, runs the
// moderation, and the warning is posted into the appchat group, not replied.
func TestSimArchive(t *testing.T) {
	got := runSim(t,
		"in G2",
		"/banword add 加微信",
		"as bob",
		"archive 大家好",
		"archive 有需要的加微信",
		"积分",
		"as alice",
		"/stats",
		"quit",
	)
	for _, want := range []string{
		"[会话存档] bob 在 G2 说（没有 @机器人）：大家好", "拉取会话存档1条",
		"[G2 群内 · appchat/send] 🤖 ⚠️ @Bob：违禁词「加微信」，予以警告。累计警告1/3",
		"Bob 的积分：1", "近7天群活跃",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "只计机器人收到的消息") {
		t.Errorf("sim runs in full-traffic mode, but /stats says it counts only what the bot sees:\n%s", got)
	}
}
