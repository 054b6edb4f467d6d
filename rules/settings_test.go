package rules

import (
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30s", 30 * time.Second, true},
		{"10m", 10 * time.Minute, true},
		{"2h", 2 * time.Hour, true},
		{"3d", 72 * time.Hour, true},
		{"1w", 7 * 24 * time.Hour, true},
		{"1d12h", 36 * time.Hour, true},
		{"0", 0, true},
		{"", 0, false},
		{"10", 0, false},
		{"m", 0, false},
		{"5y", 0, false},
		{"99999999999999999999s", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if tt.ok && tt.want > 0 {
			back, err := ParseDuration(FormatDuration(got))
			if err != nil || back != got {
				t.Errorf("round trip of %v via %q = %v, %v", got, FormatDuration(got), back, err)
			}
		}
	}
}

func TestDefaultsCompile(t *testing.T) {
	s, err := Layers{}.Compile()
	if err != nil {
		t.Fatal(err)
	}
	if s.Checkin.Points != 5 || s.Checkin.StreakBonus != 1 || s.Checkin.StreakBonusMax != 5 || s.Checkin.MakeupCost != 20 {
		t.Errorf("checkin defaults = %+v", s.Checkin)
	}
	if s.Message.Points != 1 || s.Message.Cooldown != time.Minute || s.Message.DailyCap != 20 {
		t.Errorf("message defaults = %+v", s.Message)
	}
	if s.Invite.Points != 10 || s.Invite.ClawbackWithin != 7*24*time.Hour {
		t.Errorf("invite defaults = %+v", s.Invite)
	}
	wantLadder := []Rung{{1, ActionWarn, 0}, {2, ActionMute, 10 * time.Minute}, {3, ActionRemove, 0}}
	if len(s.Violation.Ladder) != 3 {
		t.Fatalf("ladder = %+v", s.Violation.Ladder)
	}
	for i, r := range wantLadder {
		if s.Violation.Ladder[i] != r {
			t.Errorf("rung %d = %+v, want %+v", i, s.Violation.Ladder[i], r)
		}
	}
	if s.Violation.Flood != (Rate{5, 10 * time.Second}) || s.Violation.Repeat != (Rate{3, time.Minute}) {
		t.Errorf("flood/repeat = %+v %+v", s.Violation.Flood, s.Violation.Repeat)
	}
	if s.Violation.Expire != 30*24*time.Hour || !s.Violation.LinksInProbation || s.Probation != 72*time.Hour {
		t.Errorf("violation/probation defaults = %+v %v", s.Violation, s.Probation)
	}
	if s.Kind != KindInternal || s.Mode != ModeEnforce || s.ReplyCooldown != 30*time.Second {
		t.Errorf("kind/mode/reply = %q %q %v", s.Kind, s.Mode, s.ReplyCooldown)
	}
	if _, title := s.LevelFor(0); title != "新人" {
		t.Errorf("level at 0 = %q", title)
	}
	if i, title := s.LevelFor(250); title != "骨干" || i != 2 {
		t.Errorf("level at 250 = %d %q", i, title)
	}
	if !strings.Contains(s.Welcome, "{name}") || s.Report.Daily != "21:00" || s.Report.Weekly != "Mon 09:00" {
		t.Errorf("welcome/report = %q %+v", s.Welcome, s.Report)
	}
}

func TestLayersOverrideKeyByKey(t *testing.T) {
	s, err := Layers{
		{"checkin.points": "10", "kind": "appchat"},
		{"checkin.points": "7"},
		{"welcome": "off"},
	}.Compile()
	if err != nil {
		t.Fatal(err)
	}
	if s.Checkin.Points != 7 || s.Kind != KindAppChat || s.Checkin.StreakBonusMax != 5 || s.Welcome != "" {
		t.Errorf("got points=%d kind=%s max=%d welcome=%q", s.Checkin.Points, s.Kind, s.Checkin.StreakBonusMax, s.Welcome)
	}
}

func TestCompileReportsEveryBadKey(t *testing.T) {
	_, err := Layers{{"checkin.points": "many", "kind": "secret", "nope": "1", "violation.ladder": "1 explode"}}.Compile()
	se, ok := err.(*SettingsError)
	if !ok {
		t.Fatalf("err = %v, want *SettingsError", err)
	}
	if len(se.Bad) != 4 {
		t.Fatalf("problems = %q, want 4", se.Bad)
	}
	for _, key := range []string{"checkin.points：", "kind：", "nope：", "violation.ladder："} {
		if !strings.Contains(se.Error(), key) {
			t.Errorf("%q not named in %q", key, se.Error())
		}
	}
}

func TestParseShopAndLadder(t *testing.T) {
	items, err := ParseShop("咖啡券:100:10:1， T恤:500")
	if err != nil {
		t.Fatal(err)
	}
	want := []ShopItem{{"咖啡券", 100, 10, 1}, {"T恤", 500, -1, -1}}
	if len(items) != 2 || items[0] != want[0] || items[1] != want[1] {
		t.Errorf("items = %+v, want %+v", items, want)
	}
	for _, bad := range []string{"咖啡券", "x:-1", "x:1:2:3:4", "x:1:many", strings.Repeat("长", 65) + ":1"} {
		if _, err := ParseShop(bad); err == nil {
			t.Errorf("ParseShop(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"1 warn, 1 remove", "0 warn", "2 mute", "3 remove now", "x warn"} {
		if _, err := ParseLadder(bad); err == nil {
			t.Errorf("ParseLadder(%q) accepted", bad)
		}
	}
}

func TestClocks(t *testing.T) {
	if d, h, m, ok := ParseWeekly("Mon 09:00"); !ok || d != time.Monday || h != 9 || m != 0 {
		t.Errorf("ParseWeekly = %v %d %d %v", d, h, m, ok)
	}
	if _, _, _, ok := ParseWeekly("Someday 09:00"); ok {
		t.Error("ParseWeekly accepted Someday")
	}
	if err := CheckSetting("report.daily", "25:00"); err == nil {
		t.Error("report.daily 25:00 accepted")
	}
	if err := CheckSetting("report.daily", "off"); err != nil {
		t.Errorf("report.daily off: %v", err)
	}
}

func TestSayDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * 24 * time.Hour:                 "30天",
		10 * time.Minute:                    "10分钟",
		90 * time.Minute:                    "1小时30分钟",
		45 * time.Second:                    "45秒",
		0:                                   "0秒",
		26*time.Hour + 500*time.Millisecond: "1天2小时",
	} {
		if got := SayDuration(d); got != want {
			t.Errorf("SayDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
