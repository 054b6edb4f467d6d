package rules

import (
	"strings"
	"testing"
)

func TestParseKeyword(t *testing.T) {
	tests := []struct {
		in, kind, pattern string
		bad               bool
	}{
		{"福利", MatchContains, "福利", false},
		{"  福利 ", MatchContains, "福利", false},
		{"=报名", MatchExact, "报名", false},
		{"/(发票|报销)/", MatchRegex, "(发票|报销)", false},
		{"/(bad/", "", "", true},
		{"=", "", "", true},
		{"", "", "", true},
		{"/", MatchContains, "/", false},
		// Admins' expressions run on every message: the banword limits apply.
		{"/" + strings.Repeat("(a|b)", 50) + "/", "", "", true},
		{"/(x{1,100}){1,100}y/", "", "", true},
		{"/.*/", "", "", true},
		{strings.Repeat("长", MaxKeywordLen+1), "", "", true},
		{strings.Repeat("长", MaxKeywordLen), MatchContains, strings.Repeat("长", MaxKeywordLen), false},
	}
	for _, tt := range tests {
		kind, pattern, err := ParseKeyword(tt.in)
		if (err != nil) != tt.bad || kind != tt.kind || pattern != tt.pattern {
			t.Errorf("ParseKeyword(%q) = %q %q %v, want %q %q bad=%v", tt.in, kind, pattern, err, tt.kind, tt.pattern, tt.bad)
		}
		if err == nil {
			k2, p2, _ := ParseKeyword(keywordLabel(kind, pattern))
			if k2 != kind || p2 != pattern {
				t.Errorf("keywordLabel(%q, %q) does not read back: %q %q", kind, pattern, k2, p2)
			}
		}
	}
}

func kr(kind, pattern, text string) KeywordReply {
	return KeywordReply{Kind: kind, Pattern: pattern, Text: text}
}

func TestReplyMatchOrder(t *testing.T) {
	configured := []KeywordReply{
		kr(MatchContains, "福利", "cfg-福利"),
		kr(MatchRegex, "^(发票|报销)", "cfg-报销"),
		kr(MatchContains, "群规", "cfg-群规"),
	}
	own := []KeywordReply{
		kr(MatchContains, "福利时间", "own-福利时间"),
		kr(MatchExact, "福利", "own-exact-福利"),
		kr(MatchContains, "群规", "own-群规-1"),
		kr(MatchContains, "群规", "own-群规-2"),
		kr(MatchRegex, "报销", "own-报销"),
	}
	set, err := compileReplies(configured, own)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, want string }{
		{"福利", "own-exact-福利"},         // exact beats contains
		{"  福利！", "cfg-福利"},            // not the whole message: contains answers
		{"请问福利时间是几点", "own-福利时间"},      // the longest contained keyword wins
		{"有什么福利吗", "cfg-福利"},           // configured rules still answer
		{"群规是什么", "own-群规-1|own-群规-2"}, // the group's own keyword replaces the configured one
		{"发票怎么报销", "own-报销"},           // own regex before configured regex
		{"天气", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got := ""
		if r := set.match(tt.text); r != nil {
			got = strings.Join(r.texts, "|")
		}
		if got != tt.want {
			t.Errorf("match(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestReplyMatchFolding(t *testing.T) {
	set, err := compileReplies(nil, []KeywordReply{kr(MatchExact, "Hello World", "hi"), kr(MatchContains, "VPN", "vpn")})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"hello   world", " HELLO WORLD ", "怎么连 vpn", "VpN?"} {
		if set.match(text) == nil {
			t.Errorf("match(%q) = nil, want a rule", text)
		}
	}
	if r := set.match("hello world!"); r != nil {
		t.Errorf("match(hello world!) = %q, want nil (exact)", r.pattern)
	}
}

func TestCompileRepliesRejectsBadRows(t *testing.T) {
	for _, r := range []KeywordReply{kr("fuzzy", "x", "y"), kr(MatchRegex, "(", "y")} {
		if _, err := compileReplies(nil, []KeywordReply{r}); err == nil {
			t.Errorf("compileReplies(%+v) = nil error, want one", r)
		}
	}
}

func TestSplitReplyConfig(t *testing.T) {
	defaults := map[string]string{
		"checkin.points": "5", "replies.福利": "周五发 || 见公告 ||", "replies./(报销)/": "找财务",
	}
	groups := map[string]map[string]string{
		"G1": {"name": "一群", "replies.福利": "G1 的福利"},
		"G2": {"replies./(bad/": "x", "replies.=空": " "},
	}
	_, _, _, err := splitReplyConfig(defaults, groups)
	if err == nil {
		t.Fatal("bad group replies accepted")
	}
	for _, want := range []string{"groups.G2.replies./(bad/", "groups.G2.replies.=空"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	delete(groups, "G2")
	d, g, cfg, err := splitReplyConfig(defaults, groups)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := d["replies.福利"]; ok || d["checkin.points"] != "5" || g["G1"]["name"] != "一群" || len(g["G1"]) != 1 {
		t.Errorf("settings layers after split = %v %v", d, g)
	}
	if got, want := len(cfg.defaults), 3; got != want {
		t.Errorf("default rows = %d, want %d (%v)", got, want, cfg.defaults)
	}
	set, err := compileReplies(cfg.forGroup("G1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := set.match("福利"); r == nil || strings.Join(r.texts, "|") != "G1 的福利" {
		t.Errorf("G1福利 = %v, want the group's own configured text", r)
	}
	if r := set.match("报销"); r == nil || r.texts[0] != "找财务" {
		t.Errorf("G1报销 = %v, want the default", r)
	}
}
