package rules

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Settings are one group's effective settings (INTERFACE.md section 6),
// compiled from the built-in defaults, the YAML `defaults:`, the YAML group
// entry and the group's /config overrides, in that order, key by key.
type Settings struct {
	Kind       string // internal | appchat | external
	Owner      string
	Name       string
	WebhookKey string

	Checkin       CheckinSettings
	Message       MessageSettings
	Invite        InviteSettings
	Levels        []Level // ascending by Min
	Violation     ViolationSettings
	Mode          string // moderation.mode: enforce | shadow
	Probation     time.Duration
	Welcome       string // "" when off
	Quiz          Quiz
	Rules         string
	Report        ReportSettings
	Shop          []ShopItem
	ReplyCooldown time.Duration
}

// Group kinds.
const (
	KindInternal = "internal"
	KindAppChat  = "appchat"
	KindExternal = "external"
)

// Moderation modes.
const (
	ModeEnforce = "enforce"
	ModeShadow  = "shadow"
)

type CheckinSettings struct{ Points, StreakBonus, StreakBonusMax, MakeupCost int }

type MessageSettings struct {
	Points   int
	Cooldown time.Duration
	DailyCap int
}

type InviteSettings struct {
	Points         int
	ClawbackWithin time.Duration
}

// Level is a title earned at Min points.
type Level struct {
	Min   int
	Title string
}

type ViolationSettings struct {
	Ladder           []Rung
	Expire           time.Duration
	Flood            Rate
	Repeat           Rate
	LinksInProbation bool
	AllowDomains     []string
}

// Rung is one step of the escalation ladder: reaching Count active violations
// fires Action (warn | mute | remove), a mute lasting For.
type Rung struct {
	Count  int
	Action string
	For    time.Duration
}

// Ladder actions; stored values.
const (
	ActionWarn   = "warn"
	ActionMute   = "mute"
	ActionRemove = "remove"
)

// Rate is "N events within Per".
type Rate struct {
	N   int
	Per time.Duration
}

// Quiz is the optional entry question for newcomers; Question "" means none.
type Quiz struct {
	Question string
	Answers  []string
	Timeout  time.Duration
}

type ReportSettings struct{ Daily, Weekly string }

// ShopItem is one reward. Stock and Limit of -1 mean unlimited.
type ShopItem struct {
	Name  string
	Cost  int
	Stock int
	Limit int
}

// settingKey describes one configurable key: its default (in the same text
// form /config takes) and how to apply a value to Settings.
type settingKey struct {
	name  string
	def   string
	apply func(s *Settings, v string) error
}

// DefaultRules is the code of conduct a group gets until it sets its own.
const DefaultRules = "1. 友善交流，尊重他人；2. 禁止广告、刷屏和违规链接；3. 违规将依次警告、禁言、移出群聊。"

var settingKeys = []settingKey{
	{"kind", KindInternal, func(s *Settings, v string) error {
		return oneOf(&s.Kind, v, KindInternal, KindAppChat, KindExternal)
	}},
	{"owner", "", func(s *Settings, v string) error { s.Owner = v; return nil }},
	{"name", "", func(s *Settings, v string) error { s.Name = v; return nil }},
	{"webhook_key", "", func(s *Settings, v string) error { s.WebhookKey = v; return nil }},
	{"checkin.points", "5", intKey(0, 10000, func(s *Settings) *int { return &s.Checkin.Points })},
	{"checkin.streak_bonus", "1", intKey(0, 10000, func(s *Settings) *int { return &s.Checkin.StreakBonus })},
	{"checkin.streak_bonus_max", "5", intKey(0, 100000, func(s *Settings) *int { return &s.Checkin.StreakBonusMax })},
	{"checkin.makeup_cost", "20", intKey(0, 100000, func(s *Settings) *int { return &s.Checkin.MakeupCost })},
	{"message.points", "1", intKey(0, 1000, func(s *Settings) *int { return &s.Message.Points })},
	{"message.cooldown", "60s", durKey(0, day, func(s *Settings) *time.Duration { return &s.Message.Cooldown })},
	{"message.daily_cap", "20", intKey(0, 10000, func(s *Settings) *int { return &s.Message.DailyCap })},
	{"invite.points", "10", intKey(0, 10000, func(s *Settings) *int { return &s.Invite.Points })},
	{"invite.clawback_within", "7d", durKey(0, 365*day, func(s *Settings) *time.Duration { return &s.Invite.ClawbackWithin })},
	{"levels", "0 新人, 50 活跃成员, 200 骨干, 500 达人, 1000 元老", func(s *Settings, v string) (err error) {
		s.Levels, err = ParseLevels(v)
		return err
	}},
	{"violation.ladder", "1 warn, 2 mute 10m, 3 remove", func(s *Settings, v string) (err error) {
		s.Violation.Ladder, err = ParseLadder(v)
		return err
	}},
	{"violation.expire", "30d", durKey(0, 3650*day, func(s *Settings) *time.Duration { return &s.Violation.Expire })},
	{"violation.flood", "5/10s", rateKey(func(s *Settings) *Rate { return &s.Violation.Flood })},
	{"violation.repeat", "3/60s", rateKey(func(s *Settings) *Rate { return &s.Violation.Repeat })},
	{"violation.links_in_probation", "true", boolKey(func(s *Settings) *bool { return &s.Violation.LinksInProbation })},
	{"violation.allow_domains", "", func(s *Settings, v string) error { s.Violation.AllowDomains = splitList(v); return nil }},
	{"moderation.mode", ModeEnforce, func(s *Settings, v string) error { return oneOf(&s.Mode, v, ModeEnforce, ModeShadow) }},
	{"probation", "3d", durKey(0, 365*day, func(s *Settings) *time.Duration { return &s.Probation })},
	{"welcome", "欢迎 {name} 加入{group}！请先看群规：{rules}", func(s *Settings, v string) error {
		if v == "off" {
			v = ""
		}
		s.Welcome = v
		return nil
	}},
	{"welcome.quiz.question", "", func(s *Settings, v string) error { s.Quiz.Question = v; return nil }},
	{"welcome.quiz.answers", "", func(s *Settings, v string) error { s.Quiz.Answers = splitList(v); return nil }},
	{"welcome.quiz.timeout", "10m", durKey(time.Minute, 7*day, func(s *Settings) *time.Duration { return &s.Quiz.Timeout })},
	{"rules", DefaultRules, func(s *Settings, v string) error { s.Rules = v; return nil }},
	{"report.daily", "21:00", func(s *Settings, v string) error { s.Report.Daily = v; return checkClock(v) }},
	{"report.weekly", "Mon 09:00", func(s *Settings, v string) error { s.Report.Weekly = v; return checkWeekly(v) }},
	{"shop", "", func(s *Settings, v string) (err error) {
		s.Shop, err = ParseShop(v)
		return err
	}},
	{"reply.cooldown", "30s", durKey(0, day, func(s *Settings) *time.Duration { return &s.ReplyCooldown })},
}

// settingLens bounds the values of settings that are not bound by
// MaxSettingLen, the limit of the rest (limits.go).
var settingLens = map[string]int{
	"owner": MaxIDLen, "name": MaxNameLen, "webhook_key": 128, "welcome": MaxWelcomeLen, "rules": MaxRulesLen,
}

// applySetting checks a value's length, then applies it.
func (k settingKey) applySetting(s *Settings, v string) error {
	limit, ok := settingLens[k.name]
	if !ok {
		limit = MaxSettingLen
	}
	if err := tooLong(v, limit); err != nil {
		return err
	}
	return k.apply(s, v)
}

// SettingNames lists every configurable key, sorted.
func SettingNames() []string {
	names := make([]string, len(settingKeys))
	for i, k := range settingKeys {
		names[i] = k.name
	}
	sort.Strings(names)
	return names
}

// secretSettings are never shown back in a chat.
var secretSettings = map[string]bool{"webhook_key": true}

func findKey(name string) (settingKey, bool) {
	for _, k := range settingKeys {
		if k.name == name {
			return k, true
		}
	}
	return settingKey{}, false
}

// Layers is the text of settings from each source, lowest priority first.
type Layers []map[string]string

// Effective merges the layers over the built-in defaults, key by key.
func (l Layers) Effective() map[string]string {
	out := make(map[string]string, len(settingKeys))
	for _, k := range settingKeys {
		out[k.name] = k.def
	}
	for _, layer := range l {
		for k, v := range layer {
			out[k] = v
		}
	}
	return out
}

// Compile validates and applies the layers. Every bad key is reported.
func (l Layers) Compile() (*Settings, error) {
	values := l.Effective()
	s := &Settings{}
	var problems, keys []string
	for name, v := range values {
		k, ok := findKey(name)
		if !ok {
			problems, keys = append(problems, fmt.Sprintf("%s: unknown setting", name)), append(keys, name)
			continue
		}
		if err := k.applySetting(s, strings.TrimSpace(v)); err != nil {
			problems, keys = append(problems, fmt.Sprintf("%s: %v", name, err)), append(keys, name)
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, &SettingsError{Problems: problems, Keys: keys}
	}
	return s, nil
}

// SettingsError lists every invalid key, one line each.
type SettingsError struct {
	Problems []string
	Keys     []string // the invalid keys
}

func (e *SettingsError) Error() string { return strings.Join(e.Problems, "; ") }

// CheckSetting validates one key and value as /config would apply it.
func CheckSetting(name, value string) error {
	k, ok := findKey(name)
	if !ok {
		return fmt.Errorf("未知的设置项 %s", name)
	}
	return k.applySetting(&Settings{}, strings.TrimSpace(value))
}

// LevelFor returns the title for a balance.
func (s *Settings) LevelFor(points int) (index int, title string) {
	index = 0
	for i, l := range s.Levels {
		if points >= l.Min {
			index, title = i, l.Title
		}
	}
	return index, title
}
