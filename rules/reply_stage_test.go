package rules

import (
	"strings"
	"testing"
	"time"
)

// TestReplyPicksWithTheInjectedRand: alternatives are chosen by Deps.Rand
// and {name} is filled in.
func TestReplyPicksWithTheInjectedRand(t *testing.T) {
	env := newModEnv(t, nil)
	var asked []int
	picks := []int{2, 0, 1}
	e, err := New(Deps{Store: env.f, Counters: env.f, Now: func() time.Time { return env.now },
		Groups: map[string]map[string]string{"G1": {
			"kind": KindInternal, "message.points": "0", "reply.cooldown": "0",
			"replies.福利": "甲 {name} || 乙 || 丙",
		}},
		Rand: func(n int) int {
			asked = append(asked, n)
			p := picks[0]
			picks = picks[1:]
			return p
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	env.e = e
	for i, want := range []string{"丙", "甲 bob", "乙"} {
		text := []string{"有福利吗", "福利呢", "今天的福利"}[i] // different texts: no repetition violation
		if got := env.say("bob", text); got != want {
			t.Errorf("reply to %q = %q, want %q", text, got, want)
		}
	}
	if len(asked) != 3 || asked[0] != 3 {
		t.Errorf("Rand asked with %v, want n=3 three times", asked)
	}
	if got := env.say("bob", "天气如何"); got != "" {
		t.Errorf("unmatched message got %q", got)
	}
}

// TestBadConfiguredKeywordStopsStartUp: a bad YAML keyword is named.
func TestBadConfiguredKeywordStopsStartUp(t *testing.T) {
	_, err := New(Deps{Defaults: map[string]string{"replies./(x/": "y"}})
	if err == nil || !strings.Contains(err.Error(), "defaults.replies./(x/") {
		t.Errorf("New with a bad keyword: %v", err)
	}
}
