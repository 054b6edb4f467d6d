package main

import (
	"slices"
	"testing"
	"time"
)

const repliesYAML = `
admins: [boss]
defaults:
  replies:
    "=报名": 报名请填群公告里的表
groups:
  G1: {kind: internal, name: 产品交流群, owner: owner1, webhook_key: hook-g1}
  G2: {kind: appchat, name: 项目群, owner: owner1}
`

// TestKeywordReplies covers each match kind, the per-keyword cooldown, the
// configured defaults, alternatives, removal and the admin gate.
func TestKeywordReplies(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		if got := h.say("G1", "bob", "/reply add 福利 => x"); got != "无权限" {
			t.Fatalf("member's /reply add = %q, want 无权限", got)
		}
		contains(t, h.say("G1", "owner1", "/reply add 福利 => {name}，{group}每周五发福利"), "已添加", "福利")
		contains(t, h.say("G1", "owner1", "/reply add /^(报销|发票)/ => 报销请找财务"), "已添加", "正则")
		contains(t, h.say("G1", "owner1", "/reply add /(bad/ => x"), "未添加")

		// contains, with {name} and {group} filled in
		if got, want := h.say("G1", "alice", "请问有什么福利吗"), "alice，产品交流群每周五发福利"; got != want {
			t.Errorf("contains reply = %q, want %q", got, want)
		}
		// a flood of the same question in the group gets one answer
		for _, who := range []string{"alice", "bob"} {
			if got := h.say("G1", who, "福利呢"); got != "" {
				t.Errorf("reply within the cooldown = %q, want none", got)
			}
		}
		// regex, with its own cooldown
		if got := h.say("G1", "bob", "发票怎么开"); got != "报销请找财务" {
			t.Errorf("regex reply = %q", got)
		}
		// exact, from the YAML defaults: only the whole message
		if got := h.say("G1", "bob", "我要报名"); got != "" {
			t.Errorf("exact keyword answered a longer message: %q", got)
		}
		if got := h.say("G1", "bob", "报名"); got != "报名请填群公告里的表" {
			t.Errorf("exact reply = %q", got)
		}
		if got := h.say("G2", "bob", "福利"); got != "" {
			t.Errorf("G1's keyword answered in G2: %q", got)
		}

		h.advance(31 * time.Second)
		contains(t, h.say("G1", "bob", "福利"), "每周五发福利")

		// a second answer to the same keyword: either may be picked
		contains(t, h.say("G1", "owner1", "/reply add 福利 => 福利见群公告"), "已添加")
		h.advance(31 * time.Second)
		if got := h.say("G1", "bob", "福利"); !slices.Contains([]string{"bob，产品交流群每周五发福利", "福利见群公告"}, got) {
			t.Errorf("reply with alternatives = %q", got)
		}
		contains(t, h.say("G1", "owner1", "/reply list"), "福利", "/^(报销|发票)/", "［默认］=报名")

		contains(t, h.say("G1", "owner1", "/reply del 福利"), "已删除", "2条")
		contains(t, h.say("G1", "owner1", "/reply del 福利"), "没有添加过")
		h.advance(31 * time.Second)
		if got := h.say("G1", "bob", "福利"); got != "" {
			t.Errorf("removed keyword still answers: %q", got)
		}
	}, withYAML(repliesYAML))
}

// TestReplyCooldownSetting: reply.cooldown is per group and 0 turns it off.
func TestReplyCooldownSetting(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		contains(t, h.say("G1", "owner1", "/config reply.cooldown 0"), "reply.cooldown")
		for range 3 {
			if got := h.say("G1", "bob", "报名"); got == "" {
				t.Fatal("no answer with the cooldown off")
			}
		}
	}, withYAML(repliesYAML))
}
