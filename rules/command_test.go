package rules

import "testing"

func TestCommandMatch(t *testing.T) {
	table := newCommandTable(allCommands())
	tests := []struct {
		text, want, rest string
	}{
		{"帮助", "help", ""},
		{"/help", "help", ""},
		{"/HELP", "help", ""},
		{"帮助！", "help", ""},
		{"规则", "rules", ""},
		{"/admin add @张三", "admin", "add @张三"},
		{"/config checkin.points 10", "config", "checkin.points 10"},
		{"设置 checkin.points 10", "config", "checkin.points 10"},
		{"hello there", "", ""},
		{"帮我看看", "", ""},
		{"/warn　bob 刷屏", "warn", "bob 刷屏"}, // a full-width space, as Chinese input methods type it
		{"签到\n", "checkin", ""},
		{"/top\tweek", "top", "week"},
		// Only 兑换 takes its argument glued on; a sentence that starts with
		// another command word is not that command (INTERFACE.md section 4:
		// other text goes to keyword replies).
		{"签到了吗", "", ""},
		{"积分怎么算", "", ""},
		{"管理员是谁", "", ""},
		{"设置好了吗", "", ""},
		{"helpful", "", ""},
		{"兑换咖啡券", "redeem", "咖啡券"},
	}
	for _, tt := range tests {
		c, args, ok := table.match(tt.text)
		got := ""
		if ok {
			got = c.Name
		}
		if got != tt.want || args.Raw != tt.rest {
			t.Errorf("match(%q) = %q %q, want %q %q", tt.text, got, args.Raw, tt.want, tt.rest)
		}
	}
}

func TestArgsRest(t *testing.T) {
	a := newArgs("  add 福利 =>  每周五 发福利 ")
	if got := a.Rest(1); got != "福利 =>  每周五 发福利" {
		t.Errorf("Rest(1) = %q", got)
	}
	if got := a.Rest(9); got != "" {
		t.Errorf("Rest(9) = %q", got)
	}
	if got := a.Get(0); got != "add" {
		t.Errorf("Get(0) = %q", got)
	}
}

func TestCutCommandAnySpace(t *testing.T) {
	for _, text := range []string{"/in G1 /config", "/in\u3000G1 /config", "/IN\tG1 /config"} {
		rest, ok := cutCommand(text, "/in")
		if chatID, cmd := cutWord(rest); !ok || chatID != "G1" || cmd != "/config" {
			t.Errorf("cutCommand(%q) = %q, %v; want G1 and /config", text, rest, ok)
		}
	}
}
