package handlers

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
)

// fakePoints serves a canned ledger and board and records what was asked.
type fakePoints struct {
	userID, period string
	limit          int
}

func (p *fakePoints) LedgerOf(_ context.Context, chatID, userID string, limit int) ([]rules.LedgerEntry, error) {
	p.userID, p.limit = userID, limit
	if chatID != "G1" {
		return nil, nil
	}
	return []rules.LedgerEntry{
		{ID: 9, ChatID: "G1", UserID: "alice", Delta: -20, Kind: rules.LedgerRedeem, Reason: "兑换 咖啡券", Actor: "alice",
			At: time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)},
		{ID: 3, ChatID: "G1", UserID: "alice", Delta: 6, Kind: rules.LedgerCheckin, Reason: "签到 连续2天", Actor: "alice",
			At: time.Date(2026, 11, 21, 1, 0, 0, 0, time.UTC)},
	}, nil
}

func (p *fakePoints) Leaderboard(_ context.Context, _, period string) (rules.Board, []rules.BoardEntry, error) {
	p.period = period
	return rules.Board{Period: period}, []rules.BoardEntry{{Rank: 1, UserID: "alice", Name: "Alice", Points: 26, Title: "新人"}}, nil
}

func TestPointsRoutes(t *testing.T) {
	tests := []struct {
		path           string
		status         int
		body           string
		userID, period string
		limit          int
	}{
		{"/api/v1/groups/G1/ledger?userid=alice", http.StatusOK,
			`{"entries":[{"id":9,"userid":"alice","delta":-20,"kind":"redeem","reason":"兑换 咖啡券","actor":"alice",` +
				`"created_at":"2026-11-21T10:00:00+08:00"},{"id":3,"userid":"alice","delta":6,"kind":"checkin",` +
				`"reason":"签到 连续2天","actor":"alice","created_at":"2026-11-21T09:00:00+08:00"}]}`, "alice", "", defaultLedgerLimit},
		{"/api/v1/groups/G9/ledger?limit=5", http.StatusOK, `{"entries":[]}`, "", "", 5},
		{"/api/v1/groups/G1/ledger?limit=0", http.StatusBadRequest, `{"error":"limit must be a number from 1 to 5000"}`, "", "", 0},
		{"/api/v1/groups/G1/leaderboard?period=month", http.StatusOK,
			`{"entries":[{"rank":1,"userid":"alice","name":"Alice","points":26,"title":"新人"}],"period":"month"}`, "", "month", 0},
		{"/api/v1/groups/G1/leaderboard", http.StatusOK,
			`{"entries":[{"rank":1,"userid":"alice","name":"Alice","points":26,"title":"新人"}],"period":"week"}`, "", "week", 0},
		{"/api/v1/groups/G1/leaderboard?period=year", http.StatusBadRequest, `{"error":"period must be day, week, month or all"}`, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p := &fakePoints{}
			shanghai, err := time.LoadLocation("Asia/Shanghai")
			if err != nil {
				t.Fatal(err)
			}
			f := newFixture(t, func(d *Deps) { d.AdminToken, d.Admin, d.Points, d.Location = adminToken, cannedAdmin(), p, shanghai })
			res := f.do(t, http.MethodGet, tt.path, nil, "Authorization", "Bearer "+adminToken)
			if res.status != tt.status || res.body != tt.body {
				t.Errorf("got %d %s\nwant %d %s", res.status, res.body, tt.status, tt.body)
			}
			if p.userID != tt.userID || p.period != tt.period || p.limit != tt.limit {
				t.Errorf("asked userid %q period %q limit %d, want %q %q %d", p.userID, p.period, p.limit, tt.userID, tt.period, tt.limit)
			}
		})
	}
	// Without a token the routes are closed like the rest of the API.
	f := newFixture(t, func(d *Deps) { d.AdminToken, d.Admin, d.Points = adminToken, cannedAdmin(), &fakePoints{} })
	if res := f.do(t, http.MethodGet, "/api/v1/groups/G1/ledger", nil); res.status != http.StatusUnauthorized {
		t.Errorf("ledger without a token = %d, want 401", res.status)
	}
}
