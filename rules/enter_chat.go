package rules

import "context"

// greeting answers a member who opens the 1:1 chat with the 智能机器人.
const greeting = sayGreeting

func handleEnterChat(_ context.Context, t *Turn) error {
	t.Reply(greeting)
	return nil
}
