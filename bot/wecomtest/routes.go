package wecomtest

import (
	"fmt"
	"slices"

	"github.com/qunbot/qunbot/bot"
)

type route struct {
	needsToken bool
	fn         func(a *API, c Call, req map[string]any) answer
}

// routes are the WeCom APIs the fake implements, by path. Handlers run with
// a.mu held.
var routes = map[string]route{
	"/cgi-bin/gettoken":                                    {false, (*API).getToken},
	"/cgi-bin/appchat/send":                                {true, (*API).appChatSend},
	"/cgi-bin/appchat/update":                              {true, (*API).appChatUpdate},
	"/cgi-bin/appchat/get":                                 {true, (*API).appChatGet},
	"/cgi-bin/message/send":                                {true, (*API).messageSend},
	"/cgi-bin/webhook/send":                                {false, (*API).webhookSend},
	"/cgi-bin/user/get":                                    {true, (*API).userGet},
	"/cgi-bin/externalcontact/groupchat/get":               {true, (*API).groupChatGet},
	"/cgi-bin/externalcontact/group_welcome_template/add":  {true, (*API).templateAdd},
	"/cgi-bin/externalcontact/group_welcome_template/edit": {true, (*API).templateEdit},
	"/cgi-bin/externalcontact/group_welcome_template/del":  {true, (*API).templateDel},
	"/cgi-bin/aibot/response":                              {false, (*API).aibotResponse},
}

func (a *API) getToken(c Call, _ map[string]any) answer {
	corp, secret := c.Query.Get("corpid"), c.Query.Get("corpsecret")
	switch {
	case corp == "" || (a.corpID != "" && corp != a.corpID):
		return errAnswer(40013, "invalid corpid")
	case secret == "" || (a.secret != "" && secret != a.secret):
		return errAnswer(40001, "invalid credential")
	}
	a.seq++
	tok := fmt.Sprintf("fake-token-%d", a.seq)
	a.tokens[tok] = true
	return answer{"access_token": tok, "expires_in": 7200}
}

func str(req map[string]any, key string) string {
	s, _ := req[key].(string)
	return s
}

func strs(req map[string]any, key string) []string {
	list, _ := req[key].([]any)
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// appChatSend accepts any non-empty chatid: sim posts into appchat groups it
// never registered.
func (a *API) appChatSend(_ Call, req map[string]any) answer {
	if str(req, "chatid") == "" {
		return errAnswer(86001, "invalid chatid")
	}
	return answer{}
}

func (a *API) appChatUpdate(_ Call, req map[string]any) answer {
	g, ok := a.groups[str(req, "chatid")]
	if !ok {
		return errAnswer(86003, "chatid not exist")
	}
	del := strs(req, "del_user_list")
	g.Members = slices.DeleteFunc(g.Members, func(m bot.GroupMember) bool { return slices.Contains(del, m.UserID) })
	for _, u := range strs(req, "add_user_list") {
		g.Members = append(g.Members, bot.GroupMember{UserID: u, Type: 1, JoinTime: a.now()})
	}
	a.groups[g.ChatID] = g
	return answer{}
}

func (a *API) appChatGet(c Call, _ map[string]any) answer {
	g, ok := a.groups[c.Query.Get("chatid")]
	if !ok {
		return errAnswer(86003, "chatid not exist")
	}
	users := []string{}
	for _, m := range g.Members {
		users = append(users, m.UserID)
	}
	return answer{"chat_info": map[string]any{"chatid": g.ChatID, "name": g.Name, "owner": g.Owner, "userlist": users}}
}

func (a *API) messageSend(_ Call, req map[string]any) answer {
	if str(req, "touser") == "" {
		return errAnswer(40031, "invalid userid list")
	}
	a.seq++
	return answer{"invaliduser": "", "msgid": fmt.Sprintf("fake-msg-%d", a.seq)}
}

func (a *API) webhookSend(c Call, _ map[string]any) answer {
	if c.Query.Get("key") == "" {
		return errAnswer(93000, "invalid webhook url")
	}
	return answer{}
}

func (a *API) userGet(c Call, _ map[string]any) answer {
	id := c.Query.Get("userid")
	name, ok := a.users[id]
	if !ok {
		return errAnswer(60111, "userid not found")
	}
	return answer{"userid": id, "name": name}
}

func (a *API) groupChatGet(_ Call, req map[string]any) answer {
	g, ok := a.groups[str(req, "chat_id")]
	if !ok {
		return errAnswer(40050, "chat_id invalid")
	}
	members := []map[string]any{}
	for _, m := range g.Members {
		members = append(members, map[string]any{
			"userid": m.UserID, "type": m.Type, "join_time": m.JoinTime.Unix(), "join_scene": m.JoinScene,
			"invitor": map[string]any{"userid": m.Invitor}, "name": m.Name,
		})
	}
	admins := []map[string]any{}
	for _, ad := range g.Admins {
		admins = append(admins, map[string]any{"userid": ad})
	}
	return answer{"group_chat": map[string]any{
		"chat_id": g.ChatID, "name": g.Name, "owner": g.Owner, "member_list": members, "admin_list": admins,
	}}
}

func welcomeText(req map[string]any) string {
	text, _ := req["text"].(map[string]any)
	return str(text, "content")
}

func (a *API) templateAdd(_ Call, req map[string]any) answer {
	if welcomeText(req) == "" {
		return errAnswer(41041, "fake: template needs text.content")
	}
	a.seq++
	id := fmt.Sprintf("fake-tpl-%d", a.seq)
	a.templates[id] = welcomeText(req)
	return answer{"template_id": id}
}

func (a *API) templateEdit(_ Call, req map[string]any) answer {
	id := str(req, "template_id")
	if _, ok := a.templates[id]; !ok {
		return errAnswer(41043, "fake: unknown template_id")
	}
	a.templates[id] = welcomeText(req)
	return answer{}
}

func (a *API) templateDel(_ Call, req map[string]any) answer {
	id := str(req, "template_id")
	if _, ok := a.templates[id]; !ok {
		return errAnswer(41043, "fake: unknown template_id")
	}
	delete(a.templates, id)
	return answer{}
}

// aibotResponse enforces single use. 95000 is the fake's own code: WeCom's
// code for a reused response_code is not documented.
func (a *API) aibotResponse(c Call, _ map[string]any) answer {
	code := c.Query.Get("response_code")
	switch {
	case code == "":
		return errAnswer(40001, "fake: response_code missing")
	case a.responded[code]:
		return errAnswer(95000, "fake: response_code already used")
	}
	a.responded[code] = true
	return answer{}
}
