package rules

import (
	"fmt"
	"testing"
)

// BenchmarkReplyMatch is one message checked against a group with 200
// keywords (100 contains, 50 exact, 50 regex) that none of them matches: the
// worst case every unanswered message pays.
func BenchmarkReplyMatch(b *testing.B) {
	var own []KeywordReply
	for i := range 100 {
		own = append(own, kr(MatchContains, fmt.Sprintf("关键词%d", i), "x"))
	}
	for i := range 50 {
		own = append(own, kr(MatchExact, fmt.Sprintf("问题%d", i), "x"))
		own = append(own, kr(MatchRegex, fmt.Sprintf("^(报销|发票)%d$", i), "x"))
	}
	set, err := compileReplies(nil, own)
	if err != nil {
		b.Fatal(err)
	}
	text := "请问这个周末的团建活动在哪里集合，几点出发，需要带什么东西吗？"
	b.ReportAllocs()
	for b.Loop() {
		if set.match(text) != nil {
			b.Fatal("unexpected match")
		}
	}
}

// BenchmarkReplyCompile is compiling those 200 keywords, which happens once
// per group per change.
func BenchmarkReplyCompile(b *testing.B) {
	var own []KeywordReply
	for i := range 200 {
		own = append(own, kr(MatchRegex, fmt.Sprintf("^(报销|发票)%d$", i), "x"))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := compileReplies(nil, own); err != nil {
			b.Fatal(err)
		}
	}
}
