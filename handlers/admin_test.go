package handlers

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
)

const adminToken = "s3cret-admin-token"

func adminFixture(t *testing.T, token string, a *fakeAdmin) *fixture {
	t.Helper()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return newFixture(t, func(d *Deps) { d.AdminToken, d.Admin, d.Location = token, a, shanghai })
}

func cannedAdmin() *fakeAdmin {
	joined := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
	probation := joined.Add(72 * time.Hour)
	return &fakeAdmin{
		groups: []rules.GroupView{{ChatID: "G1", Name: "产品交流群", Kind: "internal", Members: 3}},
		members: map[string]rules.MemberView{"G1/alice": {
			UserID: "alice", Name: "Alice", Points: 120, Level: 1, Title: "活跃成员", CheckinStreak: 4,
			LastCheckinDay: "2026-11-21", Warnings: 1, JoinedAt: &joined, ProbationUntil: &probation, Inviter: "bob",
			Segment: rules.SegmentPotential,
		}},
		modlog: []rules.ModEntry{{ID: 7, ChatID: "G1", Action: rules.ModWarn, Actor: "bob", Target: "carol",
			Reason: "spam", Evidence: "buy now", At: time.Date(2026, 11, 21, 1, 2, 3, 0, time.UTC)}},
	}
}

func TestAdminAuth(t *testing.T) {
	tests := []struct {
		name   string
		token  string // configured
		header string // Authorization
		status int
		body   string
	}{
		{"disabled", "", "Bearer anything", http.StatusUnauthorized, `{"error":"admin API disabled: set QUNBOT_ADMIN_TOKEN"}`},
		{"no header", adminToken, "", http.StatusUnauthorized, `{"error":"missing or wrong bearer token"}`},
		{"wrong token", adminToken, "Bearer s3cret-admin-tokeN", http.StatusUnauthorized, `{"error":"missing or wrong bearer token"}`},
		{"prefix of the token", adminToken, "Bearer s3cret", http.StatusUnauthorized, `{"error":"missing or wrong bearer token"}`},
		{"basic scheme", adminToken, "Basic " + adminToken, http.StatusUnauthorized, `{"error":"missing or wrong bearer token"}`},
		{"right token", adminToken, "Bearer " + adminToken, http.StatusOK, groupsJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := adminFixture(t, tt.token, cannedAdmin())
			res := f.do(t, http.MethodGet, "/api/v1/groups", nil, "Authorization", tt.header)
			if res.status != tt.status || res.body != tt.body {
				t.Errorf("got %d %s, want %d %s", res.status, res.body, tt.status, tt.body)
			}
			if tt.status == http.StatusUnauthorized && res.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

func TestAdminRoutes(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		err    error
		status int
		body   string
	}{
		{"member", "/api/v1/groups/G1/members/alice", nil, http.StatusOK,
			`{"userid":"alice","name":"Alice","points":120,"level":1,"title":"活跃成员","checkin_streak":4,` +
				`"last_checkin_day":"2026-11-21","warnings":1,"muted_until":null,"joined_at":"2026-11-01T10:00:00+08:00",` +
				`"probation_until":"2026-11-04T10:00:00+08:00","inviter":"bob","left_at":null,"is_admin":false,` +
				`"segment":"potential","last_message_at":null}`},
		{"unknown member", "/api/v1/groups/G1/members/zed", nil, http.StatusNotFound, `{"error":"not found"}`},
		{"modlog", "/api/v1/groups/G1/modlog", nil, http.StatusOK,
			`{"entries":[{"id":7,"action":"warn","actor":"bob","target":"carol","reason":"spam","evidence":"buy now",` +
				`"created_at":"2026-11-21T09:02:03+08:00"}]}`},
		{"modlog bad limit", "/api/v1/groups/G1/modlog?limit=0", nil, http.StatusBadRequest,
			`{"error":"limit must be a number from 1 to 1000"}`},
		{"store failure", "/api/v1/groups", errors.New("store: connection lost"), http.StatusInternalServerError,
			`{"error":"internal error"}`},
		{"unknown route", "/api/v1/nothing", nil, http.StatusNotFound, `{"error":"not found: no such admin API path"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := cannedAdmin()
			a.err = tt.err
			f := adminFixture(t, adminToken, a)
			res := f.do(t, http.MethodGet, tt.path, nil, "Authorization", "Bearer "+adminToken)
			if res.status != tt.status || res.body != tt.body {
				t.Errorf("got %d %s\nwant %d %s", res.status, res.body, tt.status, tt.body)
			}
		})
	}
}

func TestModlogLimit(t *testing.T) {
	tests := []struct {
		query string
		want  int
	}{{"", defaultModlogLimit}, {"?limit=5", 5}, {"?limit=1000", 1000}}
	for _, tt := range tests {
		a := cannedAdmin()
		f := adminFixture(t, adminToken, a)
		f.do(t, http.MethodGet, "/api/v1/groups/G1/modlog"+tt.query, nil, "Authorization", "Bearer "+adminToken)
		if a.limit != tt.want {
			t.Errorf("%q: limit = %d, want %d", tt.query, a.limit, tt.want)
		}
	}
}

// groupsJSON is the fake admin reader's group list as /api/v1/groups shows it.
const groupsJSON = `{"groups":[{"chatid":"G1","name":"产品交流群","kind":"internal","members":3,` +
	`"aibot_reachable":false,"aibot_reach":"unknown","aibot_reach_at":null}]}`

func TestGroupsShowLongConnectionReach(t *testing.T) {
	a := cannedAdmin()
	at := time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)
	a.groups = []rules.GroupView{
		{ChatID: "G4", Kind: "internal", Reach: rules.Reach{ChatID: "G4", State: rules.ReachYes, At: at}},
		{ChatID: "G5", Kind: "internal", Reach: rules.Reach{ChatID: "G5", State: rules.ReachRefused, Code: 93001, At: at}},
	}
	res := adminFixture(t, adminToken, a).do(t, http.MethodGet, "/api/v1/groups", nil, "Authorization", "Bearer "+adminToken)
	want := `{"groups":[` +
		`{"chatid":"G4","name":"","kind":"internal","members":0,"aibot_reachable":true,"aibot_reach":"reachable","aibot_reach_at":"2026-11-21T14:00:00+08:00"},` +
		`{"chatid":"G5","name":"","kind":"internal","members":0,"aibot_reachable":false,"aibot_reach":"refused","aibot_reach_at":"2026-11-21T14:00:00+08:00","aibot_refused_code":93001}]}`
	if res.status != http.StatusOK || res.body != want {
		t.Errorf("got %d %s\nwant %s", res.status, res.body, want)
	}
}
