package rules

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// englishWord finds the words an English sentence cannot do without; a
// problem that holds one was written in English. Key names, examples
// (30s, Mon 09:00, warn) and quoted values are allowed.
var englishWord = regexp.MustCompile(`(?i)\b(must|is|are|be|not|the|or|and|of|to|from|want|unknown|setting|cannot|valid|only|such|as|e\.g)\b`)

// settingsProblem checks that a settings problem is one line, in Chinese.
func settingsProblem(t *testing.T, what, problem string) {
	t.Helper()
	bare := regexp.MustCompile(`「[^」]*」`).ReplaceAllString(problem, "")
	if strings.ContainsAny(problem, "\n\r") || !strings.ContainsFunc(problem, func(r rune) bool { return unicode.Is(unicode.Han, r) }) ||
		englishWord.MatchString(bare) {
		t.Errorf("%s: problem %q is not one line of Chinese", what, problem)
	}
}

// TestSettingProblemsAreChinese gives every setting values it must refuse:
// each problem is said in Chinese, like every other configuration problem,
// and quotes the whole value given.
func TestSettingProblemsAreChinese(t *testing.T) {
	bad := []string{"abc", "-5", "99999999999", "3days", "1/x", "x/10s", "5/3x", "1 explode", "咖啡券", "x:many",
		"1 warn, 1 remove", "25:00", "Someday 09:00", "maybe", strings.Repeat("长", MaxSettingLen+1)}
	for _, k := range settingKeys {
		refused := 0
		for _, v := range bad {
			err := CheckSetting(k.name, v)
			if err == nil {
				continue
			}
			refused++
			settingsProblem(t, k.name+" "+clip(v, 12, "…"), err.Error())
		}
		if refused == 0 {
			t.Errorf("%s refused none of the bad values", k.name)
		}
	}
	err := CheckSetting("report.nope", "1")
	if err == nil || strings.Contains(err.Error(), "report.nope") {
		t.Errorf("unknown key: %v, want a problem that does not repeat the key (the caller names it)", err)
	}
	settingsProblem(t, "unknown key", err.Error())
	if _, err := ParseDuration("3days"); err == nil || !strings.Contains(err.Error(), "「3days」") {
		t.Errorf("ParseDuration(3days) = %v, want the whole value quoted", err)
	}
	for _, p := range CheckSettings(map[string]string{"replies./(bad/": "x", "replies./a**/": "y"}, nil) {
		settingsProblem(t, p.Key, p.Problem)
	}
}
