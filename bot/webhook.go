package bot

import (
	"context"
	"net/url"
	"strings"
)

type webhookText struct {
	MsgType string `json:"msgtype"`
	Text    struct {
		Content       string   `json:"content"`
		MentionedList []string `json:"mentioned_list,omitempty"`
	} `json:"text"`
}

// WebhookSend posts text into the group a 消息推送 webhook belongs to,
// @-mentioning mentions. The key is the webhook's only credential: it never
// appears in errors.
func (c *Client) WebhookSend(ctx context.Context, key, text string, mentions []string) error {
	if key == "" {
		return permanent("bot: webhook/send: empty key")
	}
	var m webhookText
	m.MsgType = "text"
	m.Text.Content = text
	m.Text.MentionedList = mentions
	u := c.base + "/cgi-bin/webhook/send?" + url.Values{"key": {key}}.Encode()
	return c.do(ctx, "webhook/send", u, m, nil)
}

type markdownMessage struct {
	MsgType  string      `json:"msgtype"`
	Markdown textContent `json:"markdown"`
}

// RespondURL posts a late markdown answer to a 智能机器人 response_url, a full
// one-shot URL valid for an hour (not under APIBase, no access token).
func (c *Client) RespondURL(ctx context.Context, rawURL, markdown string) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return permanent("bot: response_url: not an http(s) URL")
	}
	if strings.TrimSpace(markdown) == "" {
		return permanent("bot: response_url: empty answer")
	}
	return c.do(ctx, "aibot/response", rawURL, markdownMessage{MsgType: "markdown", Markdown: textContent{markdown}}, nil)
}
