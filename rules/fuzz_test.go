package rules

import (
	"slices"
	"strings"
	"testing"
)

// The fuzz targets run their seed corpora with every `go test`; run one for
// longer with: go test ./rules -run '^$' -fuzz FuzzCommandMatch -fuzztime 60s

func FuzzCommandMatch(f *testing.F) {
	for _, s := range []string{"签到", "/help", "帮助！", "兑换咖啡券", "/warn @张三 刷屏", "排行 week",
		"  /config checkin.points 10 ", "签到了吗", "/WARN\tbob", "设置　kind appchat", "\u3000", "/in G1 /kick bob",
		"兑换", "/", "？", "\xff\xfe"} {
		f.Add(s)
	}
	table := newCommandTable(allCommands())
	f.Fuzz(func(t *testing.T, text string) {
		c, a, ok := table.match(text)
		if !ok {
			if c != nil || a.Raw != "" {
				t.Fatalf("match(%q) = no command but %v %q", text, c, a.Raw)
			}
			return
		}
		if c == nil || !slices.Contains(table.list, c) {
			t.Fatalf("match(%q) = a command outside the table", text)
		}
		if a.Raw != strings.TrimSpace(a.Raw) || !strings.Contains(text, a.Raw) {
			t.Fatalf("match(%q): arguments %q are not trimmed text of the message", text, a.Raw)
		}
		if !slices.Equal(a.Fields, strings.Fields(a.Raw)) {
			t.Fatalf("match(%q): fields %q do not split %q", text, a.Fields, a.Raw)
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30s", "10m", "2h", "3d", "1w", "1d12h", "0", "", "10", "m", "30000w",
		"9223372036854775807s", "1w9223372036s", "99999999999999999999s", " 5M "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 {
			t.Fatalf("ParseDuration(%q) = %v, a negative duration", s, d)
		}
		if again, err := ParseDuration(FormatDuration(d)); err != nil || again != d {
			t.Fatalf("ParseDuration(%q) = %v, but its text %q reads back as %v, %v", s, d, FormatDuration(d), again, err)
		}
	})
}

// FuzzParseSettings checks every key: whatever /config accepts compiles (a
// value that did not would break every turn of the group), and the parsed
// values keep their invariants.
func FuzzParseSettings(f *testing.F) {
	for _, k := range settingKeys {
		f.Add(k.name, k.def)
	}
	for _, s := range [][2]string{{"violation.ladder", "1 warn, 1 mute 5m"}, {"violation.ladder", "2 mute -5m"},
		{"levels", "10 新人，5 老人"}, {"shop", "咖啡:10:*:1, 贴纸:5::"}, {"shop", ":::"}, {"violation.flood", "0/10s"},
		{"report.weekly", "mon 9:00"}, {"report.daily", "24:00"}, {"checkin.points", "-1"}, {"probation", "30000w"},
		{"violation.repeat", "3/0"}, {"welcome", "off"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		if CheckSetting(name, value) != nil {
			return
		}
		s, err := Layers{{name: value}}.Compile()
		if err != nil {
			t.Fatalf("/config %s %q is accepted but does not compile: %v", name, value, err)
		}
		for i := 1; i < len(s.Violation.Ladder); i++ {
			if s.Violation.Ladder[i].Count <= s.Violation.Ladder[i-1].Count {
				t.Fatalf("ladder %q is not strictly ascending: %+v", value, s.Violation.Ladder)
			}
		}
		for _, d := range []int64{int64(s.Probation), int64(s.Violation.Expire), int64(s.Message.Cooldown),
			int64(s.Violation.Flood.Per), int64(s.Quiz.Timeout), int64(s.ReplyCooldown)} {
			if d < 0 {
				t.Fatalf("%s %q gives a negative duration", name, value)
			}
		}
		for _, it := range s.Shop {
			if it.Name == "" || it.Cost < 0 || it.Stock < -1 || it.Limit < -1 {
				t.Fatalf("shop %q gives item %+v", value, it)
			}
		}
	})
}
