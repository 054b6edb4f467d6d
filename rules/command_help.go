package rules

import (
	"context"
	"strings"
)

var helpCommand = &Command{
	Name: "help", Aliases: []string{"帮助", "help", "菜单"}, Usage: "帮助", Summary: "查看你可以使用的命令",
	AnyChat: true, WhileMuted: true, Run: runHelp,
}

var rulesCommand = &Command{
	Name: "rules", Aliases: []string{"规则", "群规"}, Usage: "规则", Summary: "查看本群群规",
	WhileMuted: true,
	Run: func(ctx context.Context, t *Turn, a Args) (string, error) {
		return "📜 " + t.GroupName() + " 群规\n" + t.Settings.Rules, nil
	},
}

// runHelp lists the commands this caller may use, members' first.
func runHelp(ctx context.Context, t *Turn, a Args) (string, error) {
	role := RoleMember
	if t.Event.ChatID != "" {
		var err error
		if role, err = t.Role(ctx); err != nil {
			return "", err
		}
	}
	var member, admin []string
	for _, c := range t.e.commands.list {
		if c.Role > role {
			continue
		}
		line := "• " + c.Usage + " — " + c.Summary
		if c.Role == RoleMember {
			member = append(member, line)
		} else {
			admin = append(admin, line)
		}
	}
	var b strings.Builder
	b.WriteString("可用命令（@我 并发送）：\n")
	b.WriteString(strings.Join(member, "\n"))
	if len(admin) > 0 {
		b.WriteString("\n管理员命令：\n")
		b.WriteString(strings.Join(admin, "\n"))
		b.WriteString("\n在与应用的单聊中用 /in <群ID> <命令> 管理任一群。")
	}
	return b.String(), nil
}
