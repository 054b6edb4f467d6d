package wecomtest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/wecomtest"
)

func errcode(t *testing.T, method, u, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	code, _ := m["errcode"].(float64)
	return int(code), m
}

func TestAPITokenSemantics(t *testing.T) {
	api := wecomtest.NewAPI()
	defer api.Close()
	base := api.URL() + "/cgi-bin/"
	_, m := errcode(t, "GET", base+"gettoken?corpid=ww1&corpsecret=s", "")
	tok, _ := m["access_token"].(string)
	if tok == "" || m["expires_in"] != 7200.0 {
		t.Fatalf("gettoken = %v", m)
	}
	send := `{"chatid":"G1","msgtype":"text","text":{"content":"hi"}}`
	tests := []struct {
		name, token string
		want        int
	}{
		{"missing", "", 41001},
		{"unknown", "nope", 40014},
		{"valid", tok, 0},
	}
	for _, tt := range tests {
		if got, _ := errcode(t, "POST", base+"appchat/send?access_token="+tt.token, send); got != tt.want {
			t.Errorf("%s token: errcode %d, want %d", tt.name, got, tt.want)
		}
	}
	api.ExpireTokens()
	if got, _ := errcode(t, "POST", base+"appchat/send?access_token="+tok, send); got != 42001 {
		t.Errorf("expired token: errcode %d, want 42001", got)
	}
	if got, _ := errcode(t, "GET", base+"gettoken?corpid=ww1", ""); got != 40001 {
		t.Errorf("gettoken without secret: errcode %d, want 40001", got)
	}
}

func TestAPIRecordsCalls(t *testing.T) {
	api := wecomtest.NewAPI()
	defer api.Close()
	var seen []string
	api.OnCall(func(c wecomtest.Call) { seen = append(seen, c.Path) })
	api.FailNext("/cgi-bin/webhook/send", 93000)
	u := api.URL() + "/cgi-bin/webhook/send?key=K"
	if got, _ := errcode(t, "POST", u, `{"msgtype":"text"}`); got != 93000 {
		t.Errorf("injected failure: errcode %d, want 93000", got)
	}
	if got, _ := errcode(t, "POST", u, `{"msgtype":"text"}`); got != 0 {
		t.Errorf("after the injected failure: errcode %d, want 0", got)
	}
	calls := api.CallsTo("webhook/send")
	if len(calls) != 2 || calls[1].Query.Get("key") != "K" || calls[1].JSON()["msgtype"] != "text" || calls[1].At.IsZero() {
		t.Errorf("calls = %+v", calls)
	}
	if len(seen) != 2 {
		t.Errorf("OnCall saw %v, want 2 calls", seen)
	}
	api.Reset()
	if n := len(api.Calls()); n != 0 {
		t.Errorf("calls after Reset = %d, want 0", n)
	}
}

func TestAPIGroupState(t *testing.T) {
	api := wecomtest.NewAPI()
	defer api.Close()
	api.SetGroup(bot.GroupInfo{ChatID: "G2", Members: []bot.GroupMember{{UserID: "a"}, {UserID: "b"}}})
	c := bot.NewClient(bot.ClientConfig{APIBase: api.URL(), CorpID: "ww1", Secret: "s"})
	if err := c.AppChatRemove(t.Context(), "G2", []string{"b"}); err != nil {
		t.Fatal(err)
	}
	g, ok := api.Group("G2")
	if !ok || len(g.Members) != 1 || g.Members[0].UserID != "a" {
		t.Errorf("group after removal = %+v", g)
	}
	if _, err := c.GetUser(t.Context(), "ghost"); !bot.Permanent(err) {
		t.Errorf("unknown user: err = %v, want permanent", err)
	}
}
