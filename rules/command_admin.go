package rules

import (
	"context"
	"fmt"
	"strings"
)

const adminUsage = sayUseAdmin

var adminCommand = &Command{
	Name: "admin", Aliases: []string{"管理员"}, Usage: adminUsage,
	Summary: sayAboutAdmin, Role: RoleOwner, Run: runAdmin,
}

func runAdmin(ctx context.Context, t *Turn, a Args) (string, error) {
	chatID := t.Event.ChatID
	switch a.Get(0) {
	case "list", "列表":
		return listAdmins(ctx, t)
	case "add", "添加":
		user, err := t.ResolveUser(ctx, a.Rest(1))
		if err != nil {
			return "", err
		}
		if err := t.Tx.AddGroupAdmin(ctx, chatID, user, t.Event.From, t.Now); err != nil {
			return "", err
		}
		t.settingsDirty(chatID) // every replica's cache of the group's admins
		return fmt.Sprintf(sayAdminAdded, t.DisplayName(ctx, user)), nil
	case "del", "删除":
		user, err := t.ResolveUser(ctx, a.Rest(1))
		if err != nil {
			return "", err
		}
		removed, err := t.Tx.DelGroupAdmin(ctx, chatID, user)
		if err != nil {
			return "", err
		}
		if !removed {
			return "", Userf(sayAdminNotAdded, t.DisplayName(ctx, user))
		}
		t.settingsDirty(chatID)
		return fmt.Sprintf(sayAdminRemoved, t.DisplayName(ctx, user)), nil
	}
	return "", Userf(sayUsage, adminUsage)
}

func listAdmins(ctx context.Context, t *Turn) (string, error) {
	added, err := t.Tx.GroupAdmins(ctx, t.Event.ChatID)
	if err != nil {
		return "", err
	}
	var lines []string
	if t.Settings.Owner != "" {
		lines = append(lines, fmt.Sprintf(sayAdminOwner, t.DisplayName(ctx, t.Settings.Owner)))
	}
	names := make([]string, len(added))
	for i, u := range added {
		names[i] = t.DisplayName(ctx, u)
	}
	if len(names) == 0 {
		lines = append(lines, sayAdminNone)
	} else {
		lines = append(lines, fmt.Sprintf(sayAdminList, strings.Join(names, "、")))
	}
	return strings.Join(lines, "\n"), nil
}
