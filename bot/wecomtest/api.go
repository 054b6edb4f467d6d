// Package wecomtest fakes WeCom for tests and `qunbot sim`: API is a fake
// WeCom API server, Sender posts encrypted callbacks exactly as WeCom does.
package wecomtest

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// Call is one request the fake API received.
type Call struct {
	Path  string // e.g. "/cgi-bin/appchat/send"
	Query url.Values
	Body  []byte
	At    time.Time
}

// JSON decodes the body; nil when it is not a JSON object.
func (c Call) JSON() map[string]any {
	var m map[string]any
	if json.Unmarshal(c.Body, &m) != nil {
		return nil
	}
	return m
}

// API is a fake WeCom API server with WeCom's errcode semantics: calls need a
// token from gettoken (missing 41001, unknown 40014, expired 42001), unknown
// groups and users fail as WeCom fails them. It is safe for concurrent use.
type API struct {
	srv *httptest.Server

	mu        sync.Mutex
	now       func() time.Time
	calls     []Call
	onCall    func(Call)
	corpID    string
	secret    string
	tokens    map[string]bool // token → still valid
	users     map[string]string
	groups    map[string]bot.GroupInfo
	fail      map[string][]int
	responded map[string]bool // response_code already used
	templates map[string]string
	seq       int
}

// NewAPI starts the fake. Close it when done.
func NewAPI() *API {
	a := &API{
		now:       time.Now,
		tokens:    map[string]bool{},
		users:     map[string]string{},
		groups:    map[string]bot.GroupInfo{},
		fail:      map[string][]int{},
		responded: map[string]bool{},
		templates: map[string]string{},
	}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	return a
}

// URL is the base to configure as the client's APIBase.
func (a *API) URL() string { return a.srv.URL }

// ResponseURL is a one-shot 智能机器人 response_url on this fake.
func (a *API) ResponseURL(code string) string {
	return a.srv.URL + "/cgi-bin/aibot/response?" + url.Values{"response_code": {code}}.Encode()
}

// Close stops the server.
func (a *API) Close() { a.srv.Close() }

// SetCredentials makes gettoken accept only this corp id (else 40013) and
// secret (else 40001). By default any non-empty pair is accepted.
func (a *API) SetCredentials(corpID, secret string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.corpID, a.secret = corpID, secret
}

// Calls returns every recorded call, oldest first.
func (a *API) Calls() []Call {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.calls)
}

// CallsTo returns the calls to one path ("appchat/send" or "/cgi-bin/appchat/send").
func (a *API) CallsTo(path string) []Call {
	path = fullPath(path)
	var out []Call
	for _, c := range a.Calls() {
		if c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

// Reset forgets recorded calls and pending failures; users, groups and
// tokens stay.
func (a *API) Reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = nil
	a.fail = map[string][]int{}
}

// OnCall registers f to run for every call, after the fake has applied it
// and before it answers.
func (a *API) OnCall(f func(Call)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.onCall = f
}

// SetUser makes user/get know userID.
func (a *API) SetUser(userID, name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.users[userID] = name
}

// SetGroup stores a group for groupchat/get and appchat/get|update.
func (a *API) SetGroup(g bot.GroupInfo) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.groups[g.ChatID] = cloneGroup(g)
}

// Group returns the fake's current view of a group (after removals).
func (a *API) Group(chatID string) (bot.GroupInfo, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	g, ok := a.groups[chatID]
	return cloneGroup(g), ok
}

// Templates returns the group welcome templates WeCom keeps: template_id →
// text, after every add, edit and del.
func (a *API) Templates() map[string]string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return maps.Clone(a.templates)
}

// FailNext makes the next call to path answer errcode (queued per path).
func (a *API) FailNext(path string, errcode int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := fullPath(path)
	a.fail[p] = append(a.fail[p], errcode)
}

// ExpireTokens makes every token issued so far answer 42001.
func (a *API) ExpireTokens() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for t := range a.tokens {
		a.tokens[t] = false
	}
}

func fullPath(p string) string {
	if strings.HasPrefix(p, "/") {
		return p
	}
	return "/cgi-bin/" + p
}

func cloneGroup(g bot.GroupInfo) bot.GroupInfo {
	g.Admins = slices.Clone(g.Admins)
	g.Members = slices.Clone(g.Members)
	return g
}

// answer is a JSON reply; errcode 0 and errmsg "ok" are added when missing.
type answer map[string]any

func errAnswer(code int, msg string) answer { return answer{"errcode": code, "errmsg": msg} }

func (a *API) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	call := Call{Path: r.URL.Path, Query: r.URL.Query(), Body: body}
	a.mu.Lock()
	call.At = a.now()
	a.calls = append(a.calls, call)
	ans := a.handle(call)
	onCall := a.onCall
	a.mu.Unlock()
	if onCall != nil {
		onCall(call)
	}
	if _, ok := ans["errcode"]; !ok {
		ans["errcode"], ans["errmsg"] = 0, "ok"
	}
	var buf bytes.Buffer
	_ = json.NewEncoder(&buf).Encode(ans)
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_, _ = w.Write(buf.Bytes())
}

// handle runs with a.mu held.
func (a *API) handle(c Call) answer {
	if q := a.fail[c.Path]; len(q) > 0 {
		a.fail[c.Path] = q[1:]
		return errAnswer(q[0], "fake: failure injected by FailNext")
	}
	rt, ok := routes[c.Path]
	if !ok {
		return errAnswer(404, "fake: unknown API "+c.Path)
	}
	if rt.needsToken {
		if ans := a.checkToken(c.Query.Get("access_token")); ans != nil {
			return ans
		}
	}
	var req map[string]any
	if len(c.Body) > 0 && json.Unmarshal(c.Body, &req) != nil {
		return errAnswer(47001, "fake: data format error")
	}
	return rt.fn(a, c, req)
}

func (a *API) checkToken(tok string) answer {
	valid, known := a.tokens[tok]
	switch {
	case tok == "":
		return errAnswer(41001, "access_token missing")
	case !known:
		return errAnswer(40014, "invalid access_token")
	case !valid:
		return errAnswer(42001, "access_token expired")
	}
	return nil
}
