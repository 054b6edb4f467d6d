package bot

import (
	"context"
	"net/url"

	"github.com/silenceper/wechat/v2/work/appchat"
)

// AppChatSend posts text into a group the app created (appchat/send).
func (c *Client) AppChatSend(ctx context.Context, chatID, text string) error {
	if chatID == "" {
		return permanent("bot: appchat/send: empty chatid")
	}
	req := appchat.SendTextRequest{
		SendRequestCommon: &appchat.SendRequestCommon{ChatID: chatID, MsgType: "text"},
		Text:              appchat.TextField{Content: text},
	}
	return c.call(ctx, "appchat/send", nil, req, nil)
}

// AppChatRemove removes members from a group the app created (appchat/update
// del_user_list).
func (c *Client) AppChatRemove(ctx context.Context, chatID string, users []string) error {
	if chatID == "" || len(users) == 0 {
		return permanent("bot: appchat/update: empty chatid or user list")
	}
	req := struct {
		ChatID  string   `json:"chatid"`
		DelUser []string `json:"del_user_list"`
	}{chatID, users}
	return c.call(ctx, "appchat/update", nil, req, nil)
}

type appChatAnswer struct {
	ChatInfo struct {
		ChatID   string   `json:"chatid"`
		Name     string   `json:"name"`
		Owner    string   `json:"owner"`
		UserList []string `json:"userlist"`
	} `json:"chat_info"`
}

// AppChatGet reads the member list of a group the app created (appchat/get).
// appchat members are always internal (Type 1); WeCom reports no join times.
func (c *Client) AppChatGet(ctx context.Context, chatID string) (*GroupInfo, error) {
	if chatID == "" {
		return nil, permanent("bot: appchat/get: empty chatid")
	}
	var ans appChatAnswer
	if err := c.call(ctx, "appchat/get", url.Values{"chatid": {chatID}}, nil, &ans); err != nil {
		return nil, err
	}
	ci := ans.ChatInfo
	g := &GroupInfo{ChatID: ci.ChatID, Name: ci.Name, Owner: ci.Owner}
	if g.ChatID == "" {
		g.ChatID = chatID
	}
	for _, u := range ci.UserList {
		g.Members = append(g.Members, GroupMember{UserID: u, Type: 1})
	}
	return g, nil
}
