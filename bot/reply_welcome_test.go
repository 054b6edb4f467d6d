package bot

import (
	"encoding/json"
	"testing"
)

func TestAIBotWelcomeIsAText(t *testing.T) {
	c, err := NewCrypto("tok", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "")
	if err != nil {
		t.Fatal(err)
	}
	body, err := c.AIBotWelcome("你好", "1700000000", "123")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := c.ParseAIBotReply(body)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(plain, &got); err != nil {
		t.Fatal(err)
	}
	if got["msgtype"] != "text" || got["text"].(map[string]any)["content"] != "你好" {
		t.Errorf("welcome plaintext = %s", plain)
	}
}
