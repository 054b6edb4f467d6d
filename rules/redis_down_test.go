package rules

import (
	"context"
	"errors"
	"testing"
	"time"
)

// errRedisDown is what a counter returns when Redis does not answer.
var errRedisDown = errors.New("store: dial tcp 127.0.0.1:6379: connect: connection refused")

// downWindows is modFake with Redis gone: every moderation window fails.
type downWindows struct{ *modFake }

func (downWindows) HitWindow(context.Context, string, string, string, string, time.Time, time.Duration) (int, error) {
	return 0, errRedisDown
}

// Flood and repeat windows live in Redis and can be rebuilt; losing them
// costs a missed flood, never the member's message.
func TestMessagesGoOnWhenTheWindowsAreDown(t *testing.T) {
	env := newModEnv(t, nil)
	e, err := New(Deps{Store: env.f, Counters: downWindows{env.f}, Groups: map[string]map[string]string{
		"G1": {"kind": KindInternal, "owner": "owner1", "message.points": "0", "violation.flood": "2/10s", "violation.repeat": "2/60s"}},
		Now: func() time.Time { return env.now }})
	if err != nil {
		t.Fatal(err)
	}
	env.e = e
	for range 3 {
		if got := env.say("bob", "同样的话"); got != "" {
			t.Errorf("reply = %q, want none", got)
		}
	}
	env.say("owner1", "/banword add 博彩")
	wantContains(t, "banword with Redis down", env.say("bob", "来玩博彩"), "违禁词")
}
