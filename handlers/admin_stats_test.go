package handlers

import (
	"context"
	"net/http"
	"testing"

	"github.com/qunbot/qunbot/rules"
)

// fakeStats answers a canned two-day window and records the days asked.
type fakeStats struct{ days int }

func (f *fakeStats) Stats(_ context.Context, chatID string, days int) (rules.Stats, error) {
	f.days = days
	if chatID != "G1" {
		return rules.Stats{}, rules.ErrNotFound
	}
	return rules.Stats{Days: days, Members: 10, Speakers: 3,
		Total:                   rules.DayCounts{Messages: 12, Speakers: 4, Checkins: 2, Joins: 1, Leaves: 1},
		MessagesPerMemberPerDay: 0.6, SpeakerShare: 0.2727, QuitRate: 0.0909,
		Segments: rules.Segments{HighValue: 1, Potential: 2, Silent: 7, Churned: 1},
		Daily: []rules.DayCounts{{Day: "2026-11-20", Messages: 5, Speakers: 2, Checkins: 1, Joins: 1},
			{Day: "2026-11-21", Messages: 7, Speakers: 2, Checkins: 1, Leaves: 1}},
	}, nil
}

func TestStatsRoute(t *testing.T) {
	const body = `{"days":2,"members":10,"messages":12,"speakers":3,"checkins":2,"joins":1,"leaves":1,` +
		`"messages_per_member_per_day":0.6,"speaker_share":0.2727,"quit_rate":0.0909,` +
		`"segments":{"high_value":1,"potential":2,"silent":7,"churned":1},"daily":[` +
		`{"day":"2026-11-20","messages":5,"speakers":2,"checkins":1,"joins":1,"leaves":0},` +
		`{"day":"2026-11-21","messages":7,"speakers":2,"checkins":1,"joins":0,"leaves":1}]}`
	const bad = `{"error":"days must be a number from 1 to 90"}`
	tests := []struct {
		path   string
		status int
		body   string
		days   int
	}{
		{"/api/v1/groups/G1/stats?days=2", http.StatusOK, body, 2},
		{"/api/v1/groups/G9/stats", http.StatusNotFound, `{"error":"not found"}`, 7},
		{"/api/v1/groups/G9/stats?days=90", http.StatusNotFound, `{"error":"not found"}`, 90},
		{"/api/v1/groups/G1/stats?days=0", http.StatusBadRequest, bad, 0},
		{"/api/v1/groups/G1/stats?days=91", http.StatusBadRequest, bad, 0},
		{"/api/v1/groups/G1/stats?days=week", http.StatusBadRequest, bad, 0},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			f := &fakeStats{}
			fx := newFixture(t, func(d *Deps) { d.AdminToken, d.Admin, d.Stats = adminToken, cannedAdmin(), f })
			res := fx.do(t, http.MethodGet, tt.path, nil, "Authorization", "Bearer "+adminToken)
			if res.status != tt.status || res.body != tt.body {
				t.Errorf("got %d %s\nwant %d %s", res.status, res.body, tt.status, tt.body)
			}
			if f.days != tt.days {
				t.Errorf("asked for %d days, want %d", f.days, tt.days)
			}
		})
	}
	fx := newFixture(t, func(d *Deps) { d.AdminToken, d.Admin, d.Stats = adminToken, cannedAdmin(), &fakeStats{} })
	if res := fx.do(t, http.MethodGet, "/api/v1/groups/G1/stats", nil); res.status != http.StatusUnauthorized {
		t.Errorf("stats without a token = %d, want 401", res.status)
	}
}
