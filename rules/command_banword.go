package rules

import (
	"context"
	"fmt"
	"strings"
)

var banwordCommand = &Command{
	Name: "banword", Usage: banwordUsage,
	Summary: sayAboutBanword, Role: RoleAdmin, Run: runBanword,
}

func runBanword(ctx context.Context, t *Turn, a Args) (string, error) {
	chatID := t.Event.ChatID
	switch a.Get(0) {
	case "list", "列表":
		return listBanwords(ctx, t)
	case "add", "添加":
		b, err := ParseBanword(a.Rest(1))
		if err != nil {
			return "", err
		}
		b.ChatID, b.Actor = chatID, t.Event.From
		added, err := t.Tx.AddBanword(ctx, b, t.Now)
		if err != nil {
			return "", err
		}
		if !added {
			return "", Userf(sayBanwordExists, showBanword(b))
		}
		t.settingsDirty(chatID) // every replica recompiles the group's matcher
		return fmt.Sprintf(sayBanwordAdded, banwordNoun(b), showBanword(b)), nil
	case "del", "删除":
		b, err := ParseBanword(a.Rest(1))
		if err != nil {
			return "", err
		}
		removed, err := t.Tx.DelBanword(ctx, chatID, b.Pattern)
		if err != nil {
			return "", err
		}
		if !removed {
			return "", Userf(sayBanwordMissing, showBanword(b))
		}
		t.settingsDirty(chatID)
		return fmt.Sprintf(sayBanwordDeleted, banwordNoun(b), showBanword(b)), nil
	}
	return "", Userf(sayUsage, banwordUsage)
}

func listBanwords(ctx context.Context, t *Turn) (string, error) {
	list, err := t.Tx.Banwords(ctx, t.Event.ChatID)
	if err != nil {
		return "", err
	}
	if len(list) == 0 {
		return sayBanwordEmpty, nil
	}
	shown := make([]string, 0, min(len(list), maxListed))
	for _, b := range list[:min(len(list), maxListed)] {
		shown = append(shown, showBanword(b))
	}
	more := ""
	if len(list) > maxListed {
		more = fmt.Sprintf(sayBanwordMore, maxListed)
	}
	return fmt.Sprintf(sayBanwordList, len(list), strings.Join(shown, "、"), more), nil
}

// maxListed keeps /banword list inside one chat message.
const maxListed = 100

func showBanword(b Banword) string {
	if b.Regex {
		return "/" + b.Pattern + "/"
	}
	return b.Pattern
}

func banwordNoun(b Banword) string {
	if b.Regex {
		return sayBanwordRegex
	}
	return sayBanwordWord
}
