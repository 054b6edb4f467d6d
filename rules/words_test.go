package rules

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// TestCatalogueWording renders the sentences members and staff read most,
// and those that once read badly, and compares them word for word.
func TestCatalogueWording(t *testing.T) {
	week := BoardAt(PeriodWeek, time.Date(2025, 11, 26, 12, 0, 0, 0, time.UTC))
	for _, tt := range []struct{ got, want string }{
		{fmt.Sprintf(sayWarnNotice, "Dave", "测试", sayOutcomeWarn, 1, 3), "⚠️ @Dave：测试，予以警告。累计警告1/3"},
		{fmt.Sprintf(sayWarnNotice, "Carol", sayMutedSpeaking, sayOutcomeAsked, 3, 3),
			"⚠️ @Carol：禁言期间发言，已提请群主和管理员移出。累计警告3/3"},
		{fmt.Sprintf(sayDecidedManual, "Alice", "Carol", sayMutedSpeaking, "Carol"),
			"已记录：Alice 决定移出 Carol，原因：禁言期间发言。请群主或管理员在群聊中手动移出 Carol。"},
		{fmt.Sprintf(sayUnwarned, "Carol", sayMutedSpeaking, 2, 3), "已撤销 Carol 最近一次警告：禁言期间发言。现有警告2/3。"},
		{fmt.Sprintf(sayWarningsTitle, "Bob", 0, 2, SayDuration(30*day)), "Bob 的有效警告0/2（30天内）"},
		{fmt.Sprintf(sayRepeatHit, SayDuration(time.Minute), 3), "重复发送相同内容（1分钟内3次）"},
		{fmt.Sprintf(sayFloodHit, SayDuration(10*time.Second), 5), "刷屏（10秒内5条）"},
		{fmt.Sprintf(sayWelcomeQuiz, "1+1=?", SayDuration(10*time.Minute)), "\n入群小问题：1+1=?\n请在10分钟内@我回答。"},
		{fmt.Sprintf(sayBoardLine, 1, "Bob", 6, "新人"), "1. Bob 6分 · 新人"},
		{fmt.Sprintf(sayWeeklyTopTitle, weekName(week)), "🏆 上周积分王（11月24日–11月30日）"},
		{fmt.Sprintf(sayApproved, "Carol"), "已豁免 Carol：此后其发言不再做违规检测。"},
		{fmt.Sprintf(sayNameUnknown, "Zed"), "找不到成员「Zed」：机器人还没在本群见过这个人，通讯录里也没有。请检查名字或 userid；若对方确在群里，等其在群里@我说句话后再试。"},
		{shopLine(ShopItem{Name: "咖啡券", Cost: 30, Stock: 40, Limit: 1}, 4), "· 咖啡券 — 30积分，库存36件，每人限兑1次"},
		{fmt.Sprintf(sayRedeemed, "咖啡券", 1, 30, 36), "兑换成功：「咖啡券」，订单 #1，消耗30积分，剩余积分36。群主会尽快为你发放，发送「我的订单」查看进度。"},
		{fmt.Sprintf(sayTopActive, fmt.Sprintf(sayTopActiveDay, "Alice", 3)), "最活跃：Alice（3条）"},
		{fmt.Sprintf(sayTopActive, fmt.Sprintf(sayTopActiveDays, "Alice", 2, 4)), "最活跃：Alice（2天，4条）"},
		{fmt.Sprintf(sayStatsTitle, 1, dayRange("2026-12-02", "2026-12-02")), "📊 近1天群活跃（12月2日）"},
		{fmt.Sprintf(sayUnknownCommand, "warn"), "未知命令，是不是想用 /warn？"},
		{fmt.Sprint(refusedSetting("report.montly", CheckSetting("report.montly", "3"))),
			"没有 report.montly 这个设置项，是不是想用 report.monthly？"},
		{fmt.Sprint(refusedSetting("message.points", CheckSetting("message.points", "abc"))),
			"message.points 未修改：「abc」应为0到1000之间的整数"},
		{fmt.Sprint(refusedSetting("violation.expire", CheckSetting("violation.expire", "3days"))),
			"violation.expire 未修改：时长「3days」格式不对，应如 30s、10m、2h、3d、1w"},
	} {
		if tt.got != tt.want {
			t.Errorf("got  %q\nwant %q", tt.got, tt.want)
		}
	}
}

// TestCatalogueStyle holds every template in words.go to the house style
// written at its top.
func TestCatalogueStyle(t *testing.T) {
	rules := []struct {
		why string
		bad *regexp.Regexp
	}{
		{"a space between a quantity and Chinese", regexp.MustCompile(`(?:^|[^#])%[-+]?[0-9.]*[dg] [\p{Han}]|[\p{Han}（] %[-+]?[0-9.]*[dg]|[\p{Han}（] [-+]%`)},
		{"a space before 内", regexp.MustCompile(` 内`)},
		{"a space around a number run into Chinese", regexp.MustCompile(`[\p{Han}] [0-9]+[\p{Han}]|[\p{Han}] [0-9]+ [\p{Han}]`)},
		{"translationese TA", regexp.MustCompile(`TA`)},
		{"nested brackets", regexp.MustCompile(`（[^）]*（`)},
		{"an ASCII colon after Chinese", regexp.MustCompile(`[\p{Han}]: `)},
		{"a platform excuse", regexp.MustCompile(`企业微信不提供|接口`)},
		{"a week code", regexp.MustCompile(`W%`)},
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "words.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		spec, ok := node.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, v := range spec.Values {
			lit, ok := v.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				continue
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			n++
			for _, r := range rules {
				if r.bad.MatchString(s) {
					t.Errorf("%s = %q: %s", spec.Names[i].Name, s, r.why)
				}
			}
		}
		return true
	})
	if n < 200 {
		t.Errorf("the catalogue holds %d sentences, want every reply (200 and more)", n)
	}
}
