package bot

import (
	"context"
	"strings"
)

// appMessage is a message/send request; exactly one of Text and Card is set.
type appMessage struct {
	ToUser  string        `json:"touser"`
	MsgType string        `json:"msgtype"`
	AgentID int           `json:"agentid"`
	Text    *textContent  `json:"text,omitempty"`
	Card    *templateCard `json:"template_card,omitempty"`
}

type textContent struct {
	Content string `json:"content"`
}

type templateCard struct {
	CardType  string       `json:"card_type"`
	MainTitle cardTitle    `json:"main_title"`
	TaskID    string       `json:"task_id"`
	Buttons   []cardButton `json:"button_list"`
}

type cardTitle struct {
	Title string `json:"title,omitempty"`
	Desc  string `json:"desc,omitempty"`
}

type cardButton struct {
	Text  string `json:"text"`
	Key   string `json:"key"`
	Style int    `json:"style,omitempty"`
}

// SendText sends an app message to members (message/send, msgtype text).
func (c *Client) SendText(ctx context.Context, to []string, text string) error {
	if len(to) == 0 {
		return permanent("bot: message/send: no recipients")
	}
	return c.sendMessage(ctx, appMessage{MsgType: "text", Text: &textContent{text}}, to)
}

// SendCard sends a button_interaction template card to members. Its
// task_id comes back in template_card_event with the clicked button's key.
func (c *Client) SendCard(ctx context.Context, to []string, card Card) error {
	if len(to) == 0 || card.TaskID == "" || len(card.Buttons) == 0 {
		return permanent("bot: message/send: card needs recipients, a task_id and buttons")
	}
	tc := &templateCard{
		CardType:  "button_interaction",
		MainTitle: cardTitle{Title: card.Title, Desc: card.Desc},
		TaskID:    card.TaskID,
	}
	for _, b := range card.Buttons {
		tc.Buttons = append(tc.Buttons, cardButton(b))
	}
	return c.sendMessage(ctx, appMessage{MsgType: "template_card", Card: tc}, to)
}

func (c *Client) sendMessage(ctx context.Context, m appMessage, to []string) error {
	m.ToUser = strings.Join(to, "|")
	m.AgentID = c.cfg.AgentID
	return c.call(ctx, "message/send", nil, m, nil)
}
