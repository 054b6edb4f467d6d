package rules

import (
	"errors"
	"maps"
	"slices"
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
	Health        HealthSettings
	Followup      FollowupSettings
	Segment       SegmentSettings
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

type ReportSettings struct{ Daily, Weekly, Monthly string }

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
const DefaultRules = sayDefaultRules

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
	{"welcome", sayDefaultWelcome, func(s *Settings, v string) error {
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
	{"report.monthly", "1 09:00", func(s *Settings, v string) error { s.Report.Monthly = v; return checkMonthly(v) }},
	{"health.messages_per_member", "0.8", thresholdKey(100, func(s *Settings) *float64 { return &s.Health.MessagesPerMember })},
	{"health.speaker_share", "0.6", thresholdKey(1, func(s *Settings) *float64 { return &s.Health.SpeakerShare })},
	{"health.quit_rate", "0.05", thresholdKey(1, func(s *Settings) *float64 { return &s.Health.QuitRate })},
	{"followup.quiet", "3/14d", dayRateKey(0, 90, func(s *Settings) *Rate { return &s.Followup.Quiet })},
	{"segment.high_value", "21/7d", dayRateKey(1, 31, func(s *Settings) *Rate { return &s.Segment.HighValue })},
	{"segment.silent", "30d", daysKey(1, maxChurnedDays, func(s *Settings) *time.Duration { return &s.Segment.Silent })},
	{"segment.churned", "90d", daysKey(2, maxChurnedDays, func(s *Settings) *time.Duration { return &s.Segment.Churned })},
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
	var bad []SettingProblem
	for _, name := range slices.Sorted(maps.Keys(values)) {
		if err := applyNamed(s, name, values[name]); err != nil {
			bad = append(bad, SettingProblem{Key: name, Problem: err.Error()})
		}
	}
	if len(bad) > 0 {
		return nil, &SettingsError{Bad: bad}
	}
	return s, nil
}

// errUnknownSetting is the problem of a key that is not a setting.
var errUnknownSetting = errors.New(sayUnknownSetting)

func applyNamed(s *Settings, name, value string) error {
	k, ok := findKey(name)
	if !ok {
		return errUnknownSetting
	}
	return k.applySetting(s, strings.TrimSpace(value))
}

// SettingProblem is one bad setting: its key (or, for the YAML file, its
// path there, "groups.G1.kind") and what is wrong with it, in the words the
// operator reads.
type SettingProblem struct{ Key, Problem string }

func (p SettingProblem) String() string { return p.Key + "：" + p.Problem }

// SettingsError lists every invalid key, sorted by key.
type SettingsError struct {
	Bad []SettingProblem
}

func (e *SettingsError) Error() string {
	lines := make([]string, len(e.Bad))
	for i, p := range e.Bad {
		lines[i] = p.String()
	}
	return strings.Join(lines, "; ")
}

// Keys are the invalid keys.
func (e *SettingsError) Keys() []string {
	keys := make([]string, len(e.Bad))
	for i, p := range e.Bad {
		keys[i] = p.Key
	}
	return keys
}

// CheckSetting validates one key and value as /config would apply it. The
// error does not repeat the key: the caller names it.
func CheckSetting(name, value string) error {
	return applyNamed(&Settings{}, name, value)
}

// CheckSettings validates the settings of the YAML file (its defaults and
// groups, keyword replies included) the way New does, and returns every
// problem named by its path in the file. Start-up reports them together
// with the rest of the configuration.
func CheckSettings(defaults map[string]string, groups map[string]map[string]string) []SettingProblem {
	defaults, groups, _, err := splitReplyConfig(defaults, groups)
	bad := problemsOf(err)
	return append(bad, problemsOf(validateLayers(defaults, groups))...)
}

// problemsOf is the list in a *SettingsError; nil for any other error.
func problemsOf(err error) []SettingProblem {
	var se *SettingsError
	if errors.As(err, &se) {
		return se.Bad
	}
	return nil
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
