package rules

import (
	"slices"
	"testing"
)

func TestLinkHosts(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"看这里 https://Example.com/a?b=1 好东西", []string{"example.com"}},
		{"www.spam.cn，快来", []string{"www.spam.cn"}},
		{"加我 t.cn/abc 领红包", []string{"t.cn"}},
		{"docs.qq.com:443/x and http://1.2.3.4/x", []string{"docs.qq.com", "1.2.3.4"}},
		{"版本 v1.2 和 file.txt 不是链接", nil},
		{"普通聊天，没有链接", nil},
	}
	for _, tt := range tests {
		if got := linkHosts(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("linkHosts(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestForeignLink(t *testing.T) {
	allow := []string{"qq.com", " .example.org"}
	tests := []struct {
		text string
		host string
		ok   bool
	}{
		{"https://docs.qq.com/doc/1", "", false},
		{"https://qq.com", "", false},
		{"https://sub.example.org/x", "", false},
		{"https://notqq.com/x", "notqq.com", true},
		{"https://docs.qq.com 和 http://spam.xyz", "spam.xyz", true},
		{"没有链接", "", false},
	}
	for _, tt := range tests {
		host, ok := foreignLink(tt.text, allow)
		if host != tt.host || ok != tt.ok {
			t.Errorf("foreignLink(%q) = %q %v, want %q %v", tt.text, host, ok, tt.host, tt.ok)
		}
	}
}
