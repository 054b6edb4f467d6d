package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestSimFollowThrough drives the follow-through through `qunbot sim`:
// scheduled posts, orders, a leave, and a month passing with `time`, which
// runs every post, report, alert and 积分王 that falls due, in order.
func TestSimFollowThrough(t *testing.T) {
	got := runSim(t,
		`/schedule add "0 20 * * *" 今晚话题：{group} {date}`,
		"/schedule list",
		"/config shop 咖啡券:5:3",
		"/givepoints bob +50",
		"as bob",
		"签到",
		"兑换 咖啡券",
		"我的订单",
		"as alice",
		"/orders",
		"/orders done 1",
		"/orders refund 1 测试退款",
		"as bob",
		"我的订单",
		"as alice",
		"join dave",
		"leave dave",
		"dm /in G1 /schedule list",
		"time +32d",
		"/schedule del 1",
		"quit",
	)
	for _, want := range []string{
		"已添加定时消息 #1（0 20 * * *）", "#1 0 20 * * * · 下次", "）20:00 · ",
		"兑换成功：「咖啡券」，订单 #1", "[应用消息 → alice] 【产品交流群】Bob 兑换了「咖啡券」（5积分），订单 #1",
		"#1", "待发放", "本群待发放订单", "已标记为已发放", "订单 #1 已退款", "[应用消息 → bob] 【产品交流群】你的订单 #1「咖啡券」已退款",
		"已退款", "Dave 退出了群聊",
		"[群内 · webhook/send] 🤖 今晚话题：产品交流群 ", "📊 今日群活跃", "📊 上周回顾", "🏆 上周积分王", "月度回顾",
		"群健康提醒", "已删除定时消息 #1",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	// time passes in order: every stop is later than the one before, and
	// each scheduled post is shown right after the clock reaches 20:00
	stops := regexp.MustCompile(`🕒 (\d{4}-\d\d-\d\d \d\d:\d\d)`).FindAllStringSubmatch(got, -1)
	for i := 1; i < len(stops); i++ {
		if stops[i][1] < stops[i-1][1] {
			t.Errorf("the clock went back from %s to %s", stops[i-1][1], stops[i][1])
		}
	}
	posts := strings.Count(got, "今晚话题：产品交流群")
	at20 := regexp.MustCompile(`🕒 \d{4}-\d\d-\d\d 20:00 \w+\n  \[群内 · webhook/send\] 🤖 今晚话题：产品交流群`).FindAllString(got, -1)
	if posts < 31 || len(at20) != posts {
		t.Errorf("%d scheduled posts, %d of them right after 20:00; want one a day, each at 20:00", posts, len(at20))
	}
	if t.Failed() {
		t.Log(got)
	}
}
