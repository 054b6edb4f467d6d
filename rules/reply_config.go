package rules

import (
	"errors"
	"sort"
	"strings"
)

// replyConfigPrefix marks keyword replies in the YAML settings layers:
//
//	defaults:
//	  replies:
//	    福利: 每周五下午发福利 || 福利见群公告
//	    "=报名": 报名请填群公告里的表
//	    "/(发票|报销)/": 报销请找财务
//
// The key is a keyword as /reply add takes it; " || " separates alternative
// answers. A group entry's replies are added to the defaults keyword by
// keyword (a group keyword replaces the default one of the same form).
const replyConfigPrefix = "replies."

// replyAltSep separates alternative answers of one keyword in the YAML file.
const replyAltSep = "||"

// configuredReplies are the keyword replies from the YAML file.
type configuredReplies struct {
	defaults []KeywordReply
	groups   map[string][]KeywordReply
}

// forGroup is the configured rules of one group: its own entry's keywords
// replace the defaults of the same kind and pattern.
func (c *configuredReplies) forGroup(chatID string) []KeywordReply {
	own := c.groups[chatID]
	if len(own) == 0 {
		return c.defaults
	}
	mine := map[string]bool{}
	for _, r := range own {
		mine[r.Kind+":"+r.Pattern] = true
	}
	out := append([]KeywordReply(nil), own...)
	for _, r := range c.defaults {
		if !mine[r.Kind+":"+r.Pattern] {
			out = append(out, r)
		}
	}
	return out
}

// splitReplyConfig takes the replies.* keys out of the settings layers (so
// the settings registry never sees them) and parses them. Every bad keyword
// is reported with where it is.
func splitReplyConfig(defaults map[string]string, groups map[string]map[string]string) (
	map[string]string, map[string]map[string]string, *configuredReplies, error) {
	var problems []SettingProblem
	cfg := &configuredReplies{groups: map[string][]KeywordReply{}}
	defaults, cfg.defaults, problems = takeReplies("defaults", defaults, problems)
	outGroups := make(map[string]map[string]string, len(groups))
	for id, layer := range groups {
		outGroups[id], cfg.groups[id], problems = takeReplies("groups."+id, layer, problems)
	}
	if len(problems) > 0 {
		sort.Slice(problems, func(i, j int) bool { return problems[i].Key < problems[j].Key })
		// the layers without the replies are still returned, so the rest
		// of the settings can be checked too
		return defaults, outGroups, nil, &SettingsError{Bad: problems}
	}
	return defaults, outGroups, cfg, nil
}

func takeReplies(where string, layer map[string]string, problems []SettingProblem) (map[string]string, []KeywordReply, []SettingProblem) {
	rest := make(map[string]string, len(layer))
	var keys []string
	for k, v := range layer {
		if strings.HasPrefix(k, replyConfigPrefix) {
			keys = append(keys, k)
		} else {
			rest[k] = v
		}
	}
	sort.Strings(keys) // a map has no order; keep the rule order stable
	var out []KeywordReply
	for _, k := range keys {
		kind, pattern, err := ParseKeyword(strings.TrimPrefix(k, replyConfigPrefix))
		if err == nil && strings.TrimSpace(layer[k]) == "" {
			err = errors.New(sayReplyTextEmpty)
		}
		for _, text := range strings.Split(layer[k], replyAltSep) {
			if err == nil {
				err = tooLong(strings.TrimSpace(text), MaxReplyTextLen)
			}
		}
		if err != nil {
			problems = append(problems, SettingProblem{Key: where + "." + k, Problem: err.Error()})
			continue
		}
		for _, text := range strings.Split(layer[k], replyAltSep) {
			if text = strings.TrimSpace(text); text != "" {
				out = append(out, KeywordReply{Kind: kind, Pattern: pattern, Text: text})
			}
		}
	}
	return rest, out, problems
}
