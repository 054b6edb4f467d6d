package wecomtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"net/url"
	"strings"
	"time"
)

// AIBotText sends a 智能机器人 text message. In a group (chatID != "") the
// text is prefixed with "@qunbot " as WeCom delivers an @-mention.
func (s *Sender) AIBotText(ctx context.Context, msgID, chatID, from, text string) (Reply, error) {
	m := map[string]any{
		"msgid":       msgID,
		"aibotid":     "qunbot-aibot",
		"chattype":    "single",
		"from":        map[string]string{"userid": from},
		"create_time": s.now().Unix(),
		"msgtype":     "text",
		"text":        map[string]string{"content": text},
	}
	if chatID != "" {
		m["chatid"], m["chattype"] = chatID, "group"
		if !strings.HasPrefix(text, "@") {
			m["text"] = map[string]string{"content": "@qunbot " + text}
		}
	}
	if s.ResponseURL != "" {
		m["response_url"] = withQuery(s.ResponseURL, "response_code", msgID)
	}
	plain, err := marshal(m)
	if err != nil {
		return Reply{}, err
	}
	return s.AIBotJSON(ctx, plain)
}

// AIBotEnterChat sends the event WeCom raises when a user opens the 1:1 chat
// with the 智能机器人.
func (s *Sender) AIBotEnterChat(ctx context.Context, msgID, from string) (Reply, error) {
	plain, err := marshal(map[string]any{
		"msgid": msgID, "aibotid": "qunbot-aibot", "chattype": "single", "create_time": s.now().Unix(),
		"from": map[string]string{"userid": from}, "msgtype": "event",
		"event": map[string]any{"eventtype": "enter_chat"},
	})
	if err != nil {
		return Reply{}, err
	}
	return s.AIBotJSON(ctx, plain)
}

func withQuery(base, key, value string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// appXML is the plaintext of an app callback; empty elements are omitted.
type appXML struct {
	XMLName       xml.Name `xml:"xml"`
	ToUserName    string
	FromUserName  string
	CreateTime    int64
	MsgType       string
	Content       string    `xml:",omitempty"`
	MsgID         string    `xml:"MsgId,omitempty"`
	AgentID       string    `xml:",omitempty"`
	Event         string    `xml:",omitempty"`
	ChatID        string    `xml:"ChatId,omitempty"`
	ChangeType    string    `xml:",omitempty"`
	UpdateDetail  string    `xml:",omitempty"`
	JoinScene     *int      `xml:",omitempty"`
	QuitScene     *int      `xml:",omitempty"`
	MemChangeCnt  *int      `xml:",omitempty"`
	MemChangeList *itemList `xml:",omitempty"`
	LastMemVer    string    `xml:",omitempty"`
	CurMemVer     string    `xml:",omitempty"`
	EventKey      string    `xml:",omitempty"`
	TaskID        string    `xml:"TaskId,omitempty"`
	CardType      string    `xml:",omitempty"`
	ResponseCode  string    `xml:",omitempty"`
}

type itemList struct {
	Item []string
}

func (s *Sender) postApp(ctx context.Context, m appXML) (Reply, error) {
	m.ToUserName = s.App.ReceiveID
	plain, err := xml.Marshal(m)
	if err != nil {
		return Reply{}, err
	}
	return s.AppXML(ctx, plain)
}

// AppText sends a 1:1 text message from a member to the app.
func (s *Sender) AppText(ctx context.Context, msgID, from, text string) (Reply, error) {
	return s.postApp(ctx, appXML{
		FromUserName: from, CreateTime: s.now().Unix(), MsgType: "text",
		Content: text, MsgID: msgID, AgentID: "1000002",
	})
}

// MemberChange describes a change_external_chat event. Detail is an
// UpdateDetail (add_member, del_member, change_name, ...) or "create" or
// "dismiss" for those ChangeTypes. Scene is the JoinScene of add_member and
// the QuitScene of del_member. A zero At means the sender's now.
type MemberChange struct {
	ChatID, Detail string
	UserIDs        []string
	Scene          int
	At             time.Time
	LastMemVer     string
	CurMemVer      string
}

// AppMemberChange sends a change_external_chat event from "sys".
func (s *Sender) AppMemberChange(ctx context.Context, mc MemberChange) (Reply, error) {
	at := mc.At
	if at.IsZero() {
		at = s.now()
	}
	m := appXML{
		FromUserName: "sys", CreateTime: at.Unix(), MsgType: "event", Event: "change_external_chat",
		ChatID: mc.ChatID, ChangeType: "update", UpdateDetail: mc.Detail,
		LastMemVer: mc.LastMemVer, CurMemVer: mc.CurMemVer,
	}
	if mc.Detail == "create" || mc.Detail == "dismiss" {
		m.ChangeType, m.UpdateDetail = mc.Detail, ""
	}
	scene, n := mc.Scene, len(mc.UserIDs)
	switch mc.Detail {
	case "add_member":
		m.JoinScene = &scene
	case "del_member":
		m.QuitScene = &scene
	}
	if n > 0 {
		m.MemChangeCnt = &n
		m.MemChangeList = &itemList{Item: mc.UserIDs}
	}
	return s.postApp(ctx, m)
}

// AppCardClick sends a template_card_event: from clicked the button with
// eventKey on the card taskID.
func (s *Sender) AppCardClick(ctx context.Context, from, eventKey, taskID string, at time.Time) (Reply, error) {
	if at.IsZero() {
		at = s.now()
	}
	code := make([]byte, 8)
	_, _ = rand.Read(code)
	return s.postApp(ctx, appXML{
		FromUserName: from, CreateTime: at.Unix(), MsgType: "event", Event: "template_card_event",
		EventKey: eventKey, TaskID: taskID, CardType: "button_interaction",
		ResponseCode: hex.EncodeToString(code), AgentID: "1000002",
	})
}

// AppArchiveNotify sends msgaudit_notify: new records are in the message archive.
func (s *Sender) AppArchiveNotify(ctx context.Context, at time.Time) (Reply, error) {
	if at.IsZero() {
		at = s.now()
	}
	return s.postApp(ctx, appXML{FromUserName: "sys", CreateTime: at.Unix(), MsgType: "event",
		Event: "msgaudit_notify", AgentID: "1000002"})
}
