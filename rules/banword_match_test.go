package rules

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestWordAutomaton(t *testing.T) {
	a := newWordAutomaton([]string{"he", "she", "his", "hers", "", "加微信"})
	tests := []struct {
		text, want string
		ok         bool
	}{
		{"ushers", "she", true},
		{"ahishers", "his", true},
		{"h e r", "", false},
		{"快来加微信领红包", "加微信", true},
		{"加微", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := a.find(tt.text)
		if got != tt.want || ok != tt.ok {
			t.Errorf("find(%q) = %q %v, want %q %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
	if _, ok := newWordAutomaton(nil).find("anything"); ok {
		t.Error("empty automaton matched")
	}
}

func TestBanMatcher(t *testing.T) {
	m := newBanMatcher([]Banword{
		{Pattern: "加微信"}, {Pattern: "VX"}, {Pattern: `v[x信]\d{5,}`, Regex: true}, {Pattern: "(", Regex: true},
	})
	tests := []struct {
		text, want string
		ok         bool
	}{
		{"快来 加 微 信", "加微信", true},
		{"ＶＸ 联系", "vx", true},
		{"联系 V信123456", `/v[x信]\d{5,}/`, true},
		{"v信123", "", false},
		{"今天天气不错", "", false},
	}
	for _, tt := range tests {
		got, ok := m.match(tt.text)
		if got != tt.want || ok != tt.ok {
			t.Errorf("match(%q) = %q %v, want %q %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseBanword(t *testing.T) {
	tests := []struct {
		arg     string
		want    Banword
		errPart string
	}{
		{"加微信", Banword{Pattern: "加微信"}, ""},
		{`/v[x信]\d+/`, Banword{Pattern: `v[x信]\d+`, Regex: true}, ""},
		{"/(abc/", Banword{}, "语法错误"},
		{"/a*/", Banword{}, "空文本"},
		{"/" + strings.Repeat("a", 201) + "/", Banword{}, "太长"},
		{"/(a{100}){100}/", Banword{}, "太复杂"},
		{"/[a-z]{700}[0-9]{700}x{700}/", Banword{}, "太复杂"},
		{"  ", Banword{}, "用法"},
	}
	for _, tt := range tests {
		got, err := ParseBanword(tt.arg)
		if tt.errPart == "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseBanword(%q) = %+v, %v; want %+v", tt.arg, got, err, tt.want)
			}
			continue
		}
		var ue *UserError
		if !errors.As(err, &ue) || !strings.Contains(ue.Msg, tt.errPart) {
			t.Errorf("ParseBanword(%q) err = %v, want a UserError containing %q", tt.arg, err, tt.errPart)
		}
	}
}

func TestRequiredLiterals(t *testing.T) {
	tests := []struct {
		expr string
		want []string
	}{
		{`(?:v|微|薇)\s*[xX信]\s*q12\w{4}`, []string{"q12"}},
		{`代\s*理\d+`, []string{"代"}},
		{`红包|Bonus`, []string{"红包", "bonus"}},
		{`(abc)+x?`, []string{"abc"}},
		{`a*b?`, nil},
		{`\d{3,}`, nil},
		{`σ+`, nil},
		{`KELVIN`, []string{"kelvin"}},
	}
	for _, tt := range tests {
		got := requiredLiterals(tt.expr)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || (got == nil) != (tt.want == nil) {
			t.Errorf("requiredLiterals(%q) = %q, want %q", tt.expr, got, tt.want)
		}
	}
}

// TestBanMatcherAgreesWithRegexp checks the prefilter never hides a match the
// expression alone would find, folded letters included.
func TestBanMatcherAgreesWithRegexp(t *testing.T) {
	exprs := []string{`kelvin\d`, `\bs+x`, `(?:v|微)[xX信]q7\w{2}`, `红包\s*\d+\s*元`, `a*b+c`, `ΣΣ`}
	texts := []string{"\u212aELVIN9", "\u017fx", "微Xq7ab", "领红包88元", "aabbc", "σς", "σσ", "nothing here"}
	for _, e := range exprs {
		m := newBanMatcher([]Banword{{Pattern: e, Regex: true}})
		re := regexp.MustCompile("(?i)" + e)
		for _, text := range texts {
			_, got := m.match(text)
			if want := re.MatchString(text); got != want {
				t.Errorf("match(%q) with /%s/ = %v, want %v", text, e, got, want)
			}
		}
	}
}
