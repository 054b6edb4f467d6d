package rules

import (
	"fmt"
	"strings"
	"testing"
)

// benchBanList is 5,000 banned words and 200 expressions, shaped like a
// busy group's list: Chinese ad phrases, latin handles, contact patterns.
func benchBanList() []Banword {
	stems := []string{"加微信", "代开发票", "刷单", "兼职日结", "免费领取", "vx", "qq群", "博彩", "贷款", "返利"}
	list := make([]Banword, 0, 5200)
	for i := 0; len(list) < 5000; i++ {
		list = append(list, Banword{Pattern: fmt.Sprintf("%s%d号", stems[i%len(stems)], i)})
	}
	templates := []string{
		`(?:v|微|薇)\s*[xX信]\s*[:：]?\s*q%d\w{4,12}`, `代\s*理%d\d{3,}`, `https?://[a-z]+%d\.(?:top|xyz)`,
		`\d{3}%d\d{5,}`, `[加➕]\s*群\s*%d`, `(?:点|戳)击领取%d`, `bonus%d[a-z]+`, `红包\s*%d\s*元`,
	}
	for i := 0; i < 200; i++ {
		list = append(list, Banword{Pattern: fmt.Sprintf(templates[i%len(templates)], i), Regex: true})
	}
	return list
}

var benchMessages = map[string]string{
	"short": "好的，收到，谢谢！",
	"clean": "大家好，今天下午三点开会讨论下一季度的产品规划，请提前准备好材料，有问题随时在群里说。",
	"word":  "大家好，今天下午三点开会讨论下一季度的产品规划，兼职日结2223号了解一下",
	"regex": "大家好，今天下午三点开会讨论下一季度的产品规划，有需要的 薇信：q192abcdef",
	"long":  strings.Repeat("这是一条比较长的正常消息，内容没有任何违规。", 20),
}

func BenchmarkBanMatch(b *testing.B) {
	m := newBanMatcher(benchBanList())
	for _, name := range []string{"short", "clean", "word", "regex", "long"} {
		text := benchMessages[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				m.match(text)
			}
		})
	}
}

// BenchmarkBanMatchRegexLoop is the alternative the combined expression
// replaces: each of the 200 expressions tried in turn.
func BenchmarkBanMatchRegexLoop(b *testing.B) {
	m := newBanMatcher(benchBanList())
	text := benchMessages["clean"]
	for b.Loop() {
		for _, re := range m.regexes {
			re.MatchString(text)
		}
	}
}

func BenchmarkBanMatcherBuild(b *testing.B) {
	list := benchBanList()
	for b.Loop() {
		newBanMatcher(list)
	}
}
