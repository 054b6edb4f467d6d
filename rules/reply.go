package rules

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Keyword reply match kinds; stored values, never renamed.
const (
	MatchExact    = "exact"    // the whole message is the keyword (case and spaces ignored)
	MatchContains = "contains" // the message contains the keyword (case ignored)
	MatchRegex    = "regex"    // the message matches the regular expression
)

// KeywordReply is one stored answer to a keyword. Several rows with the same
// kind and pattern are alternatives, one picked at random per answer.
type KeywordReply struct {
	ID        int64
	ChatID    string
	Kind      string // MatchExact | MatchContains | MatchRegex
	Pattern   string // the keyword, or the regex without its slashes
	Text      string // may hold {name}, {group}, {rules}
	CreatedBy string
	At        time.Time
}

// Replies stores the keyword replies groups add with /reply.
type Replies interface {
	// KeywordReplies returns a group's rows, oldest first.
	KeywordReplies(ctx context.Context, chatID string) ([]KeywordReply, error)
	AddKeywordReply(ctx context.Context, r KeywordReply) error
	// DelKeywordReplies removes every row of a group's keyword.
	DelKeywordReplies(ctx context.Context, chatID, kind, pattern string) (removed int, err error)
}

// ParseKeyword reads a keyword as admins write it: /regex/ is a regular
// expression, =word matches the whole message, anything else is contained.
func ParseKeyword(s string) (kind, pattern string, err error) {
	s = strings.TrimSpace(s)
	switch {
	case len(s) >= 2 && strings.HasPrefix(s, "/") && strings.HasSuffix(s, "/"):
		kind, pattern = MatchRegex, s[1:len(s)-1]
		if err := checkRegex(pattern); err != nil { // the same limits as banned expressions
			return "", "", fmt.Errorf(sayRegexUnusable, pattern, err)
		}
	case strings.HasPrefix(s, "="):
		kind, pattern = MatchExact, strings.TrimSpace(s[1:])
	default:
		kind, pattern = MatchContains, s
	}
	if strings.TrimSpace(pattern) == "" {
		return "", "", errors.New(sayKeywordEmpty)
	}
	if kind != MatchRegex && utf8.RuneCountInString(pattern) > MaxKeywordLen {
		return "", "", fmt.Errorf(sayKeywordTooLong, MaxKeywordLen)
	}
	return kind, pattern, nil
}

// keywordLabel writes a keyword back the way ParseKeyword reads it.
func keywordLabel(kind, pattern string) string {
	switch kind {
	case MatchRegex:
		return "/" + pattern + "/"
	case MatchExact:
		return "=" + pattern
	}
	return pattern
}

// replyRule is one compiled keyword with its alternatives.
type replyRule struct {
	kind, pattern string
	folded        string         // exact and contains: the keyword, case-folded
	re            *regexp.Regexp // regex
	texts         []string
	own           bool // added in the group with /reply (not from the YAML file)
}

// key identifies the rule for its cooldown.
func (r *replyRule) key() string { return r.kind + ":" + r.pattern }

func (r *replyRule) matches(text, folded string) bool {
	switch r.kind {
	case MatchExact:
		return folded == r.folded
	case MatchContains:
		return strings.Contains(folded, r.folded)
	}
	return r.re.MatchString(text)
}

// replySet is a group's keyword rules in match order (see compileReplies).
type replySet struct{ rules []*replyRule }

// compileReplies merges the configured rules (YAML defaults and group entry)
// with the group's own rows and orders them. A group's own keyword replaces a
// configured one of the same kind and pattern. The first rule that matches
// wins, in this order:
//
//  1. exact keywords;
//  2. contains keywords, longest first (the most specific question wins);
//  3. regexes, the group's own before configured ones, each in the order added.
//
// Within a tier, ties keep the group's own rules first, then the order added.
func compileReplies(configured []KeywordReply, own []KeywordReply) (*replySet, error) {
	byKey := map[string]*replyRule{}
	var order []*replyRule
	add := func(r KeywordReply, isOwn bool) error {
		k := r.Kind + ":" + r.Pattern
		rule, ok := byKey[k]
		if ok && rule.own != isOwn {
			if !isOwn {
				return nil // the group's own rule shadows the configured one
			}
			rule.texts, rule.own = nil, true
		}
		if !ok {
			var err error
			if rule, err = newReplyRule(r.Kind, r.Pattern, isOwn); err != nil {
				return err
			}
			byKey[k] = rule
			order = append(order, rule)
		}
		rule.texts = append(rule.texts, r.Text)
		return nil
	}
	for _, r := range own {
		if err := add(r, true); err != nil {
			return nil, err
		}
	}
	for _, r := range configured {
		if err := add(r, false); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return replyBefore(order[i], order[j]) })
	return &replySet{rules: order}, nil
}

func newReplyRule(kind, pattern string, own bool) (*replyRule, error) {
	r := &replyRule{kind: kind, pattern: pattern, own: own, folded: foldText(pattern)}
	switch kind {
	case MatchExact, MatchContains:
	case MatchRegex:
		re, err := regexp.Compile(pattern)
		if err != nil {
			return nil, fmt.Errorf("rules: keyword /%s/: %w", pattern, err)
		}
		r.re = re
	default:
		return nil, fmt.Errorf("rules: keyword %q: unknown match kind %q", pattern, kind)
	}
	return r, nil
}

var tierOf = map[string]int{MatchExact: 0, MatchContains: 1, MatchRegex: 2}

func replyBefore(a, b *replyRule) bool {
	if tierOf[a.kind] != tierOf[b.kind] {
		return tierOf[a.kind] < tierOf[b.kind]
	}
	if a.kind == MatchContains && len([]rune(a.folded)) != len([]rune(b.folded)) {
		return len([]rune(a.folded)) > len([]rune(b.folded))
	}
	return a.own && !b.own
}

// foldText is what exact and contains compare: lower case, inner runs of
// spaces collapsed, ends trimmed.
func foldText(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// match returns the first rule the text matches, or nil.
func (s *replySet) match(text string) *replyRule {
	folded := foldText(text)
	if folded == "" {
		return nil
	}
	for _, r := range s.rules {
		if r.matches(text, folded) {
			return r
		}
	}
	return nil
}
