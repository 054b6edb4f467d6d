package bot_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
)

func TestDeliverPostsWhatWeComExpects(t *testing.T) {
	api, c := newFake(t)
	card := &bot.Card{TaskID: "task-1", Title: "移出 bob?", Desc: "刷屏", Buttons: []bot.Button{{Text: "移出", Key: "remove:1", Style: 1}, {Text: "忽略", Key: "ignore:1"}}}
	tests := []struct {
		act  bot.Action
		path string
		want map[string]any // top-level fields of the request body
	}{
		{bot.Action{Kind: bot.ActAppChatSend, ChatID: "G2", Text: "hello"}, "appchat/send",
			map[string]any{"chatid": "G2", "msgtype": "text", "text": map[string]any{"content": "hello"}, "safe": 0.0}},
		{bot.Action{Kind: bot.ActWebhookSend, WebhookKey: "KEY", Text: "welcome", Mentions: []string{"bob"}}, "webhook/send",
			map[string]any{"msgtype": "text", "text": map[string]any{"content": "welcome", "mentioned_list": []any{"bob"}}}},
		{bot.Action{Kind: bot.ActAppMessage, To: []string{"owner", "admin"}, Text: "report"}, "message/send",
			map[string]any{"touser": "owner|admin", "msgtype": "text", "agentid": 1000002.0, "text": map[string]any{"content": "report"}}},
		{bot.Action{Kind: bot.ActRemovalCard, To: []string{"owner"}, Card: card}, "message/send",
			map[string]any{"touser": "owner", "msgtype": "template_card", "agentid": 1000002.0, "template_card": map[string]any{
				"card_type": "button_interaction", "task_id": "task-1",
				"main_title":  map[string]any{"title": "移出 bob?", "desc": "刷屏"},
				"button_list": []any{map[string]any{"text": "移出", "key": "remove:1", "style": 1.0}, map[string]any{"text": "忽略", "key": "ignore:1"}},
			}}},
		{bot.Action{Kind: bot.ActWelcomeTemplate, Text: "欢迎 %NICKNAME%"}, "externalcontact/group_welcome_template/add",
			map[string]any{"text": map[string]any{"content": "欢迎 %NICKNAME%"}}},
		{bot.Action{Kind: bot.ActResponseURL, URL: api.ResponseURL("RC1"), Text: "**done**"}, "aibot/response",
			map[string]any{"msgtype": "markdown", "markdown": map[string]any{"content": "**done**"}}},
	}
	for _, tt := range tests {
		api.Reset()
		if _, err := c.Deliver(context.Background(), tt.act); err != nil {
			t.Fatalf("%s: %v", tt.act.Kind, err)
		}
		calls := api.CallsTo(tt.path)
		if len(calls) != 1 {
			t.Fatalf("%s: %d calls to %s, want 1", tt.act.Kind, len(calls), tt.path)
		}
		if got := calls[0].JSON(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s body:\n got  %v\n want %v", tt.act.Kind, got, tt.want)
		}
	}
	if got := api.CallsTo("webhook/send"); len(got) != 0 {
		t.Errorf("webhook calls after Reset = %d, want 0", len(got))
	}
}

func TestDeliverWebhookKeyAndOneShotResponseURL(t *testing.T) {
	api, c := newFake(t)
	ctx := context.Background()
	if err := c.WebhookSend(ctx, "K+/=", "hi", nil); err != nil {
		t.Fatal(err)
	}
	call := api.CallsTo("webhook/send")[0]
	if got := call.Query.Get("key"); got != "K+/=" {
		t.Errorf("key = %q, want K+/=", got)
	}
	if _, ok := call.JSON()["text"].(map[string]any)["mentioned_list"]; ok {
		t.Error("mentioned_list sent without mentions")
	}
	u := api.ResponseURL("RC9")
	if err := c.RespondURL(ctx, u, "first"); err != nil {
		t.Fatal(err)
	}
	if err := c.RespondURL(ctx, u, "second"); !bot.Permanent(err) {
		t.Errorf("reused response_url: err = %v, want permanent", err)
	}
	if err := c.RespondURL(ctx, "ftp://x/y", "x"); !bot.Permanent(err) {
		t.Errorf("bad response_url: err = %v, want permanent", err)
	}
}

func TestDeliverRemovalAndGroupFetch(t *testing.T) {
	api, c := newFake(t)
	ctx := context.Background()
	api.SetGroup(bot.GroupInfo{ChatID: "G2", Name: "app group", Owner: "zhang", Members: []bot.GroupMember{{UserID: "zhang", Type: 1}, {UserID: "bob", Type: 1}}})
	if _, err := c.Deliver(ctx, bot.Action{Kind: bot.ActAppChatRemove, ChatID: "G2", Users: []string{"bob"}}); err != nil {
		t.Fatal(err)
	}
	res, err := c.Deliver(ctx, bot.Action{Kind: bot.ActFetchGroup, ChatID: "G2", GroupKind: "appchat"})
	if err != nil {
		t.Fatal(err)
	}
	want := &bot.GroupInfo{ChatID: "G2", Name: "app group", Owner: "zhang", Members: []bot.GroupMember{{UserID: "zhang", Type: 1}}}
	if !reflect.DeepEqual(res.Group, want) {
		t.Errorf("appchat group = %+v, want %+v", res.Group, want)
	}
	if _, err := c.Deliver(ctx, bot.Action{Kind: bot.ActAppChatRemove, ChatID: "nope", Users: []string{"bob"}}); !bot.Permanent(err) {
		t.Errorf("removal from unknown group: err = %v, want permanent", err)
	}

	joined := time.Unix(1700000000, 0).UTC()
	ext := bot.GroupInfo{ChatID: "G3", Name: "客户群", Owner: "zhang", Admins: []string{"li"},
		Members: []bot.GroupMember{{UserID: "wmX", Name: "客户", Type: 2, JoinTime: joined, JoinScene: 3, Invitor: "zhang"}}}
	api.SetGroup(ext)
	res, err = c.Deliver(ctx, bot.Action{Kind: bot.ActFetchGroup, ChatID: "G3", GroupKind: "external"})
	if err != nil || !reflect.DeepEqual(res.Group, &ext) {
		t.Errorf("external group = %+v, %v; want %+v", res.Group, err, ext)
	}
	if got := api.CallsTo("externalcontact/groupchat/get")[0].JSON()["need_name"]; got != 1.0 {
		t.Errorf("need_name = %v, want 1", got)
	}
}

func TestDeliverFetchUsersSkipsUnknown(t *testing.T) {
	api, c := newFake(t)
	api.SetUser("bob", "Bob")
	res, err := c.Deliver(context.Background(), bot.Action{Kind: bot.ActFetchUser, Users: []string{"bob", "ghost"}})
	if err != nil || !reflect.DeepEqual(res.Names, map[string]string{"bob": "Bob"}) {
		t.Errorf("names = %v, %v; want bob only", res.Names, err)
	}
	if _, err := c.Deliver(context.Background(), bot.Action{Kind: bot.ActFetchUser, Users: []string{"ghost"}}); !bot.Permanent(err) {
		t.Errorf("only unknown users: err = %v, want permanent", err)
	}
	api.FailNext("user/get", 45009)
	if _, err := c.Deliver(context.Background(), bot.Action{Kind: bot.ActFetchUser, Users: []string{"bob"}}); err == nil || bot.Permanent(err) {
		t.Errorf("rate limited: err = %v, want temporary", err)
	}
}

// TestWelcomeTemplateEditsAndWithdraws: a template is added once, then
// edited under its id (added anew if WeCom lost it), and withdrawn by id.
func TestWelcomeTemplateEditsAndWithdraws(t *testing.T) {
	api, c := newFake(t)
	ctx := context.Background()
	res, err := c.Deliver(ctx, bot.Action{Kind: bot.ActWelcomeTemplate, Text: "欢迎 %NICKNAME%"})
	if err != nil || res.TemplateID == "" {
		t.Fatalf("add = %+v, %v", res, err)
	}
	again, err := c.Deliver(ctx, bot.Action{Kind: bot.ActWelcomeTemplate, TemplateID: res.TemplateID, Text: "hi %NICKNAME%"})
	if err != nil || again.TemplateID != res.TemplateID {
		t.Fatalf("edit = %+v, %v; want the same id %s", again, err, res.TemplateID)
	}
	if got := api.Templates()[res.TemplateID]; got != "hi %NICKNAME%" {
		t.Errorf("template text at WeCom = %q", got)
	}
	if _, err := c.Deliver(ctx, bot.Action{Kind: bot.ActWelcomeTemplateDel, TemplateID: res.TemplateID}); err != nil {
		t.Fatal(err)
	}
	lost, err := c.Deliver(ctx, bot.Action{Kind: bot.ActWelcomeTemplate, TemplateID: res.TemplateID, Text: strings.Repeat("长", 2000)})
	if err != nil || lost.TemplateID == res.TemplateID || len(api.Templates()[lost.TemplateID]) > 3000 {
		t.Errorf("edit of a withdrawn template = %+v, %v; want a new one of at most 3000 bytes", lost, err)
	}
	if n := len(api.CallsTo("externalcontact/group_welcome_template/add")); n != 2 {
		t.Errorf("adds = %d, want 2", n)
	}
}

func TestDeliverRefusesWhatItCannotSend(t *testing.T) {
	_, c := newFake(t)
	for _, a := range []bot.Action{
		{Kind: bot.ActReply, Text: "hi"},
		{Kind: "teleport"},
		{Kind: bot.ActRemovalCard, To: []string{"x"}},
		{Kind: bot.ActAppChatSend, Text: "no chat"},
		{Kind: bot.ActAppMessage, Text: "nobody"},
		{Kind: bot.ActWebhookSend, Text: "no key"},
	} {
		if _, err := c.Deliver(context.Background(), a); !bot.Permanent(err) {
			t.Errorf("%+v: err = %v, want permanent", a, err)
		}
	}
}
