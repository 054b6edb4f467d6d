package bot

import (
	"context"
	"net/url"
	"strings"
)

// GetUser returns a member's display name (user/get).
func (c *Client) GetUser(ctx context.Context, userID string) (string, error) {
	if userID == "" {
		return "", permanent("bot: user/get: empty userid")
	}
	var ans struct {
		Name string `json:"name"`
	}
	if err := c.call(ctx, "user/get", url.Values{"userid": {userID}}, nil, &ans); err != nil {
		return "", err
	}
	return ans.Name, nil
}

type groupChatAnswer struct {
	GroupChat struct {
		ChatID     string `json:"chat_id"`
		Name       string `json:"name"`
		Owner      string `json:"owner"`
		MemberList []struct {
			UserID    string `json:"userid"`
			Type      int    `json:"type"`
			JoinTime  int64  `json:"join_time"`
			JoinScene int    `json:"join_scene"`
			Invitor   struct {
				UserID string `json:"userid"`
			} `json:"invitor"`
			Name string `json:"name"`
		} `json:"member_list"`
		AdminList []struct {
			UserID string `json:"userid"`
		} `json:"admin_list"`
	} `json:"group_chat"`
}

// GroupChatGet reads a customer group's members, with names
// (externalcontact/groupchat/get, need_name=1).
func (c *Client) GroupChatGet(ctx context.Context, chatID string) (*GroupInfo, error) {
	if chatID == "" {
		return nil, permanent("bot: externalcontact/groupchat/get: empty chatid")
	}
	req := struct {
		ChatID   string `json:"chat_id"`
		NeedName int    `json:"need_name"`
	}{chatID, 1}
	var ans groupChatAnswer
	if err := c.call(ctx, "externalcontact/groupchat/get", nil, req, &ans); err != nil {
		return nil, err
	}
	gc := ans.GroupChat
	g := &GroupInfo{ChatID: gc.ChatID, Name: gc.Name, Owner: gc.Owner}
	if g.ChatID == "" {
		g.ChatID = chatID
	}
	for _, a := range gc.AdminList {
		g.Admins = append(g.Admins, a.UserID)
	}
	for _, m := range gc.MemberList {
		g.Members = append(g.Members, GroupMember{
			UserID: m.UserID, Name: m.Name, Type: m.Type,
			JoinTime: unixTime(m.JoinTime), JoinScene: m.JoinScene, Invitor: m.Invitor.UserID,
		})
	}
	return g, nil
}

// maxTemplateBytes is the most text a group welcome template takes.
const maxTemplateBytes = 3000

// WelcomeTemplate keeps text as a customer-group welcome template
// (%NICKNAME% is filled by WeCom): it edits templateID, or adds a template
// when templateID is "" or WeCom no longer has it, and returns the id the
// text is kept under. WeCom allows 100 templates per corp, so a group's
// template is edited, never added again. Text past 3,000 bytes is cut.
func (c *Client) WelcomeTemplate(ctx context.Context, templateID, text string) (string, error) {
	if text == "" {
		return "", permanent("bot: group_welcome_template: empty text")
	}
	if len(text) > maxTemplateBytes {
		text = strings.ToValidUTF8(text[:maxTemplateBytes], "")
	}
	if templateID != "" {
		req := struct {
			TemplateID string      `json:"template_id"`
			Text       textContent `json:"text"`
		}{templateID, textContent{text}}
		err := c.call(ctx, "externalcontact/group_welcome_template/edit", nil, req, nil)
		if err == nil || !Permanent(err) {
			return templateID, err
		}
		// removed in the admin console, or never valid: keep the text anew
	}
	req := struct {
		Text textContent `json:"text"`
	}{textContent{text}}
	var ans struct {
		TemplateID string `json:"template_id"`
	}
	if err := c.call(ctx, "externalcontact/group_welcome_template/add", nil, req, &ans); err != nil {
		return "", err
	}
	return ans.TemplateID, nil
}

// DelWelcomeTemplate withdraws a group welcome template
// (group_welcome_template/del).
func (c *Client) DelWelcomeTemplate(ctx context.Context, templateID string) error {
	if templateID == "" {
		return permanent("bot: group_welcome_template/del: empty template_id")
	}
	req := struct {
		TemplateID string `json:"template_id"`
	}{templateID}
	return c.call(ctx, "externalcontact/group_welcome_template/del", nil, req, nil)
}
