package handlers

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

// noFollow sends one request and returns the answer itself, not where a
// redirect leads. header is name, value pairs.
func (f *fixture) noFollow(t *testing.T, method, path string, form url.Values, header ...string) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, f.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := *f.srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func bodyOf(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sessionOf(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	return nil
}

func TestDashboardAccess(t *testing.T) {
	tests := []struct {
		name     string
		token    string // configured
		header   []string
		status   int
		location string
		markers  []string // in the body
	}{
		{"bearer", adminToken, []string{"Authorization", "Bearer " + adminToken}, http.StatusOK, "",
			[]string{"<title>qunbot 仪表盘</title>", `id="group-picker"`, `src="/dashboard/assets/dashboard.js"`,
				`id="activity-chart"`, `id="share-chart"`, `id="segments-chart"`, `id="leaderboard-chart"`, `id="moderation-chart"`}},
		{"browser without auth", adminToken, []string{"Accept", browserAccept}, http.StatusSeeOther, loginPath, nil},
		{"browser with wrong bearer", adminToken, []string{"Accept", browserAccept, "Authorization", "Bearer nope"},
			http.StatusSeeOther, loginPath, nil},
		{"json client", adminToken, []string{"Accept", "application/json"}, http.StatusUnauthorized, "",
			[]string{`{"error":"missing or wrong bearer token"}`}},
		{"no accept header", adminToken, nil, http.StatusUnauthorized, "", []string{"missing or wrong bearer token"}},
		{"disabled, browser", "", []string{"Accept", browserAccept}, http.StatusUnauthorized, "",
			[]string{"仪表盘已停用", "QUNBOT_ADMIN_TOKEN"}},
		{"disabled, json client", "", []string{"Accept", "application/json", "Authorization", "Bearer "}, http.StatusUnauthorized, "",
			[]string{`{"error":"dashboard disabled: set QUNBOT_ADMIN_TOKEN"}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := adminFixture(t, tt.token, cannedAdmin())
			res := f.noFollow(t, http.MethodGet, "/dashboard", nil, tt.header...)
			body := bodyOf(t, res)
			if res.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d; body %s", res.StatusCode, tt.status, body)
			}
			if got := res.Header.Get("Location"); got != tt.location {
				t.Errorf("Location = %q, want %q", got, tt.location)
			}
			for _, m := range tt.markers {
				if !strings.Contains(body, m) {
					t.Errorf("body lacks %q", m)
				}
			}
			if tt.status == http.StatusOK {
				if got := res.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
					t.Errorf("Content-Type = %q, want text/html", got)
				}
				if got := res.Header.Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'none'") {
					t.Errorf("CSP = %q, want default-src 'none'", got)
				}
			}
		})
	}
}

func TestDashboardLoginWrongToken(t *testing.T) {
	for _, token := range []string{"", "wrong", adminToken + "x", sessionValue(adminToken)} {
		f := adminFixture(t, adminToken, cannedAdmin())
		res := f.noFollow(t, http.MethodPost, loginPath, url.Values{"token": {token}}, "Accept", browserAccept)
		body := bodyOf(t, res)
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("token %q: status = %d, want 401", token, res.StatusCode)
		}
		if c := sessionOf(res); c != nil {
			t.Errorf("token %q: cookie set: %v", token, c)
		}
		if !strings.Contains(body, "令牌不正确") || !strings.Contains(body, `name="token"`) {
			t.Errorf("token %q: want the form again with an error, got %s", token, body)
		}
	}
}

func TestDashboardLoginSession(t *testing.T) {
	f := adminFixture(t, adminToken, cannedAdmin())
	res := f.noFollow(t, http.MethodPost, loginPath, url.Values{"token": {" " + adminToken + "\n"}}, "Accept", browserAccept)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/dashboard" {
		t.Fatalf("got %d to %q, want 303 to /dashboard", res.StatusCode, res.Header.Get("Location"))
	}
	c := sessionOf(res)
	switch {
	case c == nil:
		t.Fatal("no session cookie")
	case !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Secure:
		t.Errorf("cookie = %+v, want HttpOnly, SameSite=Strict, Path=/, not Secure over plain HTTP", c)
	case strings.Contains(c.Value, adminToken) || c.Value == "":
		t.Errorf("cookie value %q must be non-empty and not contain the token", c.Value)
	}
	cookie := "Cookie"
	val := sessionCookie + "=" + c.Value
	tests := []struct {
		path, accept string
		want         string
	}{
		{"/dashboard", browserAccept, `id="group-picker"`},
		{"/dashboard", browserAccept, `id="orders-table"`},
		{"/dashboard", browserAccept, `id="members-table"`},
		{"/api/v1/groups", "application/json", groupsJSON},
		{"/api/v1/groups/G1/modlog", "application/json", `"action":"warn"`},
	}
	for _, tt := range tests {
		res := f.noFollow(t, http.MethodGet, tt.path, nil, "Accept", tt.accept, cookie, val)
		if body := bodyOf(t, res); res.StatusCode != http.StatusOK || !strings.Contains(body, tt.want) {
			t.Errorf("%s with the cookie: got %d %s, want 200 with %s", tt.path, res.StatusCode, body, tt.want)
		}
	}
}

func TestDashboardSecureCookie(t *testing.T) {
	f := adminFixture(t, adminToken, cannedAdmin())
	res := f.noFollow(t, http.MethodPost, loginPath, url.Values{"token": {adminToken}}, "X-Forwarded-Proto", "https")
	if c := sessionOf(res); c == nil || !c.Secure {
		t.Errorf("cookie behind a TLS proxy = %+v, want Secure", c)
	}
}

func TestDashboardRefusesForeignCookie(t *testing.T) {
	tests := []struct{ name, value string }{
		{"made for another token", sessionValue("the-old-token")},
		{"the raw token", adminToken},
		{"empty", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := adminFixture(t, adminToken, cannedAdmin())
			cookie := sessionCookie + "=" + tt.value
			res := f.noFollow(t, http.MethodGet, "/dashboard", nil, "Accept", browserAccept, "Cookie", cookie)
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("/dashboard: status = %d, want 303", res.StatusCode)
			}
			res = f.noFollow(t, http.MethodGet, "/api/v1/groups", nil, "Cookie", cookie)
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("/api/v1/groups: status = %d, want 401", res.StatusCode)
			}
		})
	}
}

func TestDashboardLogout(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		f := adminFixture(t, adminToken, cannedAdmin())
		res := f.noFollow(t, method, "/dashboard/logout", nil, "Cookie", sessionCookie+"="+sessionValue(adminToken))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != loginPath {
			t.Errorf("%s: got %d to %q, want 303 to %s", method, res.StatusCode, res.Header.Get("Location"), loginPath)
		}
		if c := sessionOf(res); c == nil || c.Value != "" || c.MaxAge >= 0 {
			t.Errorf("%s: cookie = %+v, want an expired empty cookie", method, c)
		}
	}
}

func TestDashboardDisabledLogin(t *testing.T) {
	f := adminFixture(t, "", cannedAdmin())
	res := f.noFollow(t, http.MethodPost, loginPath, url.Values{"token": {""}}, "Accept", browserAccept)
	body := bodyOf(t, res)
	if res.StatusCode != http.StatusUnauthorized || sessionOf(res) != nil || !strings.Contains(body, "仪表盘已停用") {
		t.Errorf("got %d cookie=%v %s, want 401, no cookie, the disabled notice", res.StatusCode, sessionOf(res), body)
	}
	res = f.noFollow(t, http.MethodGet, loginPath, nil, "Accept", browserAccept)
	if body := bodyOf(t, res); res.StatusCode != http.StatusUnauthorized || strings.Contains(body, "<form") {
		t.Errorf("GET %s: got %d %s, want 401 without a form", loginPath, res.StatusCode, body)
	}
}

func TestDashboardPages(t *testing.T) {
	tests := []struct {
		path   string
		status int
		ctype  string
		marker string
	}{
		{loginPath, http.StatusOK, "text/html; charset=utf-8", `<form method="post" action="/dashboard/login">`},
		{"/dashboard/assets/dashboard.js", http.StatusOK, "text/javascript; charset=utf-8", "textContent"},
		{"/dashboard/assets/dashboard.css", http.StatusOK, "text/css; charset=utf-8", "--c1"},
		{"/dashboard/assets/index.html", http.StatusNotFound, "", ""},
		{"/dashboard/assets/..%2fdashboard.go", http.StatusNotFound, "", ""},
	}
	for _, tt := range tests {
		f := adminFixture(t, adminToken, cannedAdmin())
		res := f.noFollow(t, http.MethodGet, tt.path, nil)
		body := bodyOf(t, res)
		if res.StatusCode != tt.status || !strings.Contains(body, tt.marker) {
			t.Errorf("%s: got %d, want %d with %q", tt.path, res.StatusCode, tt.status, tt.marker)
		}
		if got := res.Header.Get("Content-Type"); tt.ctype != "" && got != tt.ctype {
			t.Errorf("%s: Content-Type = %q, want %q", tt.path, got, tt.ctype)
		}
	}
}

// TestDashboardScriptSafety keeps data out of markup: the page's script
// writes text only.
func TestDashboardScriptSafety(t *testing.T) {
	js, err := dashboardFiles.ReadFile("dashboard/dashboard.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, banned := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "http://", "https://"} {
		if strings.Contains(strings.ReplaceAll(string(js), "http://www.w3.org/2000/svg", ""), banned) {
			t.Errorf("dashboard.js contains %q", banned)
		}
	}
}

// TestDashboardOnAPhone checks what the page serves for a narrow screen: a
// viewport, wrapping that never splits a name, labels of at least 14px, and
// charts drawn at the width they get (so their labels are not scaled down).
func TestDashboardOnAPhone(t *testing.T) {
	f := adminFixture(t, adminToken, cannedAdmin())
	served := func(path string) string {
		res := f.noFollow(t, http.MethodGet, path, nil)
		return bodyOf(t, res)
	}
	index, err := dashboardFiles.ReadFile("dashboard/index.html")
	if err != nil {
		t.Fatal(err)
	}
	viewport := `<meta name="viewport" content="width=device-width, initial-scale=1">`
	for name, page := range map[string]string{"index.html": string(index), "login": served(loginPath)} {
		if !strings.Contains(page, viewport) {
			t.Errorf("%s has no viewport meta: a phone would show it zoomed out", name)
		}
	}

	css := served("/dashboard/assets/dashboard.css")
	for _, banned := range []string{"break-all", "word-break: break-word"} {
		if strings.Contains(css, banned) {
			t.Errorf("dashboard.css has %q, which splits names mid-word", banned)
		}
	}
	for _, want := range []string{"th, .nowrap { white-space: nowrap; }", "td { overflow-wrap: anywhere; }", ".scroll { overflow-x: auto; }"} {
		if !strings.Contains(css, want) {
			t.Errorf("dashboard.css lacks %q", want)
		}
	}
	start := strings.Index(css, "@media (max-width: 600px) {")
	if start < 0 {
		t.Fatal("dashboard.css has no rules for phones (@media (max-width: 600px))")
	}
	phone := css[start:]
	for _, sel := range []string{".tile .k", ".legend", "table", "summary", ".controls label", "svg text", ".bars text"} {
		m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(sel) + ` \{[^}]*font-size: (\d+)px`).FindStringSubmatch(phone)
		if m == nil {
			t.Errorf("no font-size for %s on phones", sel)
		} else if n, _ := strconv.Atoi(m[1]); n < 13 || (n < 14 && !strings.Contains(sel, "svg")) {
			t.Errorf("%s is %spx on phones, want at least 14px (13px in charts)", sel, m[1])
		}
	}

	js := served("/dashboard/assets/dashboard.js")
	if strings.Contains(js, "const W = 640") || strings.Count(js, "chartWidth('") < 4 {
		t.Error("dashboard.js draws charts at a fixed 640 units: scaled to a phone, their labels shrink to 5px")
	}
	if !strings.Contains(js, "{ class: 'nowrap' }") || !strings.Contains(js, "make('div', { class: 'scroll' }, table)") {
		t.Error("dashboard.js does not keep name columns whole and tables scrollable")
	}
}
