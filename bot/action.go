package bot

import "errors"

// ActionKind is what an action asks WeCom to do. The values are stored in the
// outbox, so they never change.
type ActionKind string

const (
	// ActReply is the passive reply to the message being handled. It travels in
	// the HTTP answer of the callback and never through the outbox.
	ActReply ActionKind = "reply"

	ActAppChatSend     ActionKind = "appchat_send"     // appchat/send text to ChatID
	ActWebhookSend     ActionKind = "webhook_send"     // webhook/send?key=WebhookKey text with mentioned_list
	ActAppMessage      ActionKind = "app_message"      // message/send text to users To
	ActRemovalCard     ActionKind = "removal_card"     // message/send template_card (移出 / 忽略) to users To
	ActAppChatRemove   ActionKind = "appchat_remove"   // appchat/update del_user_list Users from ChatID
	ActWelcomeTemplate ActionKind = "welcome_template" // externalcontact/group_welcome_template add (no TemplateID) or edit
	// ActWelcomeTemplateDel withdraws the template TemplateID (group_welcome_template/del).
	ActWelcomeTemplateDel ActionKind = "welcome_template_del"
	ActResponseURL        ActionKind = "response_url" // POST a markdown answer to URL (智能机器人 late answer)
	ActFetchUser          ActionKind = "fetch_user"   // user/get each of Users, to learn their names
	ActFetchGroup         ActionKind = "fetch_group"  // groupchat/get (or appchat/get) ChatID; raises KindGroupSnapshot
	// ActAIBotSend is aibot_send_msg over the 智能机器人 long connection:
	// markdown Text into group ChatID, or to user To[0] when ChatID is "".
	// Only the replica holding the connection delivers it; when WeCom refuses
	// the chat, Fallback is queued instead.
	ActAIBotSend ActionKind = "aibot_send"
)

// Action is one thing the bot does in WeCom. Everything but ActReply is written
// to the outbox in the same transaction as the effect that caused it and is
// delivered by the outbox worker through Client.
type Action struct {
	Kind       ActionKind `json:"kind"`
	ChatID     string     `json:"chat_id,omitempty"`
	Text       string     `json:"text,omitempty"`
	Mentions   []string   `json:"mentions,omitempty"` // userids to @ (webhook mentioned_list)
	To         []string   `json:"to,omitempty"`       // recipients of app messages and cards
	Users      []string   `json:"users,omitempty"`    // members to remove, or to look up
	WebhookKey string     `json:"webhook_key,omitempty"`
	URL        string     `json:"url,omitempty"`        // response_url
	Card       *Card      `json:"card,omitempty"`       // ActRemovalCard
	GroupKind  string     `json:"group_kind,omitempty"` // ActFetchGroup: internal | appchat | external
	// TemplateID is the group welcome template to edit or withdraw; the
	// outbox worker fills it in from what it recorded for ChatID.
	TemplateID string `json:"template_id,omitempty"`
	// Key identifies an ActAIBotSend for exactly-once fallback: unique per post.
	Key string `json:"key,omitempty"`
	// Fallback is what ActAIBotSend becomes when WeCom refuses the chat (the
	// other channels of a post, decided when the post was made).
	Fallback []Action `json:"fallback,omitempty"`
	// Stored marks an ActReply that is the reply stored for an event handled
	// before: the delivery is a redelivery and changed nothing.
	Stored bool `json:"stored,omitempty"`
}

// Redelivery reports whether actions answer an event handled before.
func Redelivery(actions []Action) bool {
	for _, a := range actions {
		if a.Kind == ActReply && a.Stored {
			return true
		}
	}
	return false
}

// Card is a button_interaction template card.
type Card struct {
	TaskID  string   `json:"task_id"` // unique per card; WeCom echoes it in template_card_event
	Title   string   `json:"title"`
	Desc    string   `json:"desc"`
	Buttons []Button `json:"buttons"`
}

// Button is one button of a Card. Key comes back as CardClick.EventKey.
type Button struct {
	Text  string `json:"text"`
	Key   string `json:"key"`
	Style int    `json:"style,omitempty"` // 1 primary, 2 danger-ish grey, per WeCom's card styles
}

// Reply returns the passive reply text among actions, or "".
func Reply(actions []Action) string {
	for _, a := range actions {
		if a.Kind == ActReply {
			return a.Text
		}
	}
	return ""
}

// Result is what delivering an action learned from WeCom.
type Result struct {
	Names map[string]string // ActFetchUser: userid → display name
	Group *GroupInfo        // ActFetchGroup: the group's current member list
	// TemplateID is the welcome template an ActWelcomeTemplate added or edited.
	TemplateID string
}

// Permanent reports whether err will fail the same way however often the call
// is retried (a bad chatid, a removed webhook, a missing permission).
func Permanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}
