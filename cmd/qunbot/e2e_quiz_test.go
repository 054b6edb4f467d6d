package main

import (
	"strings"
	"testing"
	"time"
)

const quizYAML = `
admins: [boss]
groups:
  G2:
    kind: appchat
    name: 项目群
    owner: owner1
    welcome:
      quiz: {question: 本群主要讨论哪门语言？, answers: [Go, golang], timeout: 10m}
`

// TestEntryQuiz: the welcome asks the question, an @-answer passes, a wrong
// one is asked again, and an unanswered quiz past the timeout is recorded as
// a violation.
func TestEntryQuiz(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.join("G2", 0, "ann", "ben", "cat")
		h.welcomeDue()
		calls := h.callsMentioning("/cgi-bin/appchat/send", "ann、ben、cat", "本群主要讨论哪门语言？", "10分钟")
		if len(calls) != 1 {
			t.Fatalf("quiz welcome = %s", bodies(h.api.CallsTo("/cgi-bin/appchat/send")))
		}
		contains(t, h.say("G2", "ann", "应该是 Golang"), "回答正确")
		contains(t, h.say("G2", "ben", "python"), "回答不对", "本群主要讨论哪门语言？")
		h.advance(10 * time.Minute)
		// cat speaks after the timeout: the violation is said in the reply
		contains(t, h.say("G2", "cat", "golang"), "⚠️ @cat：入群问答超时未回答")
		h.tick()
		h.flush()
		if got := h.callsMentioning("/cgi-bin/appchat/send", "@ben：入群问答超时未回答"); len(got) != 1 {
			t.Errorf("ben's violation notices = %s", bodies(h.api.CallsTo("/cgi-bin/appchat/send")))
		}
		_, body := h.get("/api/v1/groups/G2/modlog")
		if !strings.Contains(string(body), `"target":"ben"`) || !strings.Contains(string(body), "入群问答超时未回答") ||
			strings.Contains(string(body), `"target":"ann"`) {
			t.Errorf("modlog after the timeout = %s, want ben's unanswered quiz only", body)
		}
		h.advance(time.Minute)
		h.tick() // a later check finds nothing more to fail
		if _, body = h.get("/api/v1/groups/G2/modlog"); strings.Count(string(body), "入群问答超时未回答") != 2 {
			t.Errorf("modlog after a second check = %s, want one entry for ben and one for cat", body)
		}
		if got := h.say("G2", "ben", "python"); strings.Contains(got, "回答") {
			t.Errorf("a failed quiz still answers: %q", got)
		}
	}, withYAML(quizYAML))
}
