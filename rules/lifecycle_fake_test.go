package rules

import (
	"context"
	"time"
)

// The moderation tests' fake answers the keyword-reply stage with an empty
// rule set and no cooldown, so messages pass through it.

func (f *modFake) KeywordReplies(context.Context, string) ([]KeywordReply, error) { return nil, nil }

func (f *modFake) TakeReplyCooldown(context.Context, string, string, time.Time, time.Duration) (bool, error) {
	return true, nil
}
