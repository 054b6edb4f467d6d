package rules

import "context"

// greeting answers a member who opens the 1:1 chat with the 智能机器人.
const greeting = "你好，我是群助手 qunbot。在群里 @我 发送「帮助」查看你能用的命令，例如「签到」「积分」「排行」。"

func handleEnterChat(_ context.Context, t *Turn) error {
	t.Reply(greeting)
	return nil
}
