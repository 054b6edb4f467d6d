package rules

import (
	"context"
	"fmt"
	"strings"
)

const replyUsage = sayUseReply

var replyCommand = &Command{
	Name: "reply", Aliases: []string{"自动回复"}, Usage: replyUsage,
	Summary: sayAboutReply, Role: RoleAdmin, Run: runReply,
}

func runReply(ctx context.Context, t *Turn, a Args) (string, error) {
	switch a.Get(0) {
	case "add", "添加":
		return addReply(ctx, t, a.Rest(1))
	case "del", "删除":
		return delReply(ctx, t, a.Rest(1))
	case "list", "列表":
		return listReplies(ctx, t)
	}
	return "", Userf(sayUsage, replyUsage)
}

func addReply(ctx context.Context, t *Turn, rest string) (string, error) {
	kw, text, ok := strings.Cut(rest, "=>")
	text = strings.TrimSpace(text)
	if !ok || text == "" {
		return "", Userf(sayUsage, replyUsage)
	}
	if err := checkLen(sayFieldReplyText, text, MaxReplyTextLen); err != nil {
		return "", err
	}
	kind, pattern, err := ParseKeyword(kw)
	if err != nil {
		return "", Userf(sayReplyNotAdded, err)
	}
	err = t.Tx.AddKeywordReply(ctx, KeywordReply{
		ChatID: t.Event.ChatID, Kind: kind, Pattern: pattern, Text: text, CreatedBy: t.Event.From, At: t.Now,
	})
	if err != nil {
		return "", err
	}
	t.settingsDirty(t.Event.ChatID)
	return fmt.Sprintf(sayReplyAdded, keywordLabel(kind, pattern), kindLabel[kind]), nil
}

func delReply(ctx context.Context, t *Turn, kw string) (string, error) {
	kind, pattern, err := ParseKeyword(kw)
	if err != nil {
		return "", Userf(sayReplyDelUsage, err)
	}
	n, err := t.Tx.DelKeywordReplies(ctx, t.Event.ChatID, kind, pattern)
	if err != nil {
		return "", err
	}
	if n == 0 {
		return "", Userf(sayReplyMissing, keywordLabel(kind, pattern))
	}
	t.settingsDirty(t.Event.ChatID)
	return fmt.Sprintf(sayReplyDeleted, keywordLabel(kind, pattern), n), nil
}

var kindLabel = map[string]string{MatchExact: sayMatchExact, MatchContains: sayMatchContains, MatchRegex: sayMatchRegex}

func listReplies(ctx context.Context, t *Turn) (string, error) {
	set, err := t.e.replies.get(ctx, t)
	if err != nil {
		return "", err
	}
	if len(set.rules) == 0 {
		return fmt.Sprintf(sayReplyEmpty, replyUsage), nil
	}
	var b strings.Builder
	b.WriteString(sayReplyListTitle)
	for i, r := range set.rules {
		src := ""
		if !r.own {
			src = sayReplyDefault
		}
		fmt.Fprintf(&b, "\n%d. %s%s（%s）=> %s", i+1, src, keywordLabel(r.kind, r.pattern),
			kindLabel[r.kind], strings.Join(r.texts, " | "))
	}
	return b.String(), nil
}
