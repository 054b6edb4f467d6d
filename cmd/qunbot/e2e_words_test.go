package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestE2EWordsReadNaturally drives the reply catalogue's screens through the
// real callback path: aliases, a mistyped command, setting refusals, the
// admin's 帮助 in the 1:1 chat and the moderation notices.
func TestE2EWordsReadNaturally(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		if got := h.say("G1", "bob", "签个到"); !strings.HasPrefix(got, "签到成功，积分+5，连续1天，当前积分5") {
			t.Errorf("签个到 = %q, want a check-in", got)
		}
		contains(t, h.say("G1", "bob", "打卡"), "今天已签到（连续1天），当前积分5")
		for _, word := range []string{"查积分", "我的积分"} {
			contains(t, h.say("G1", "bob", word), "bob 的积分：5")
		}
		for _, tt := range []struct{ text, want string }{
			{"/warnn bob", "未知命令，是不是想用 /warn？"},
			{"/config report.montly 3", "没有 report.montly 这个设置项，是不是想用 report.monthly？"},
			{"/config message.points abc", "message.points 未修改：「abc」应为0到1000之间的整数"},
			{"/config violation.expire 3ds", "violation.expire 未修改：时长「3ds」格式不对，应如 30s、10m、2h、3d、1w"},
			{"/approve carol", "找不到成员「carol」：机器人还没在本群见过这个人，通讯录里也没有。请检查名字或 userid；若对方确在群里，等其在群里@我说句话后再试。"},
			{"/warn bob 测试", "⚠️ @bob：测试，予以警告。累计警告1/3"},
			{"/warnings bob", "bob 的有效警告1/3（30天内）"},
		} {
			if got := h.say("G1", "owner1", tt.text); !strings.HasPrefix(got, tt.want) {
				t.Errorf("%s = %q, want %q", tt.text, got, tt.want)
			}
		}
		for i := 1; i < 5; i++ {
			h.say("G1", "bob", fmt.Sprintf("第%d句", i))
		}
		contains(t, h.say("G1", "bob", "第5句"), "⚠️ @bob：刷屏（10秒内5条），禁言10分钟（至")
		if got, want := h.say("G1", "bob", "帮助"), "你正在禁言中，还剩10分钟；禁言期间只能使用：\n• 帮助 — 查看你可以使用的命令\n• 规则 — 查看本群群规"; got != want {
			t.Errorf("帮助 while muted = %q, want %q", got, want)
		}
		if got, want := h.say("G1", "owner1", "/approve bob"), "已豁免 bob：此后其发言不再做违规检测。"; got != want {
			t.Errorf("/approve = %q, want %q", got, want)
		}
		h.say("G1", "carol", "同一句")
		h.say("G1", "carol", "同一句")
		contains(t, h.say("G1", "carol", "同一句"), "⚠️ @carol：重复发送相同内容（1分钟内3次），予以警告。累计警告1/3")
		admin := h.dm("boss", "帮助")
		contains(t, admin, "管理员命令：", "• /warn <成员> [原因] — 警告成员（按阶梯升级）",
			"在与应用的单聊中，用 /in <群ID> <命令> 管理任一群")
		if member := h.dm("bob", "帮助"); strings.Contains(member, "管理员命令") {
			t.Errorf("a member's 帮助 in the 1:1 chat = %q, want no admin commands", member)
		}
	}, withYAML(trustYAML))
}
