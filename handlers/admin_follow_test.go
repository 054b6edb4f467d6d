package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
)

// fakeFollow serves the member list, orders and schedules.
type fakeFollow struct {
	members []rules.MemberView
	filter  rules.MemberFilter
	fail    bool
	failAt  int // with fail: the member list fails after this many members
	status  string
	limit   int
}

func (f *fakeFollow) Members(_ context.Context, _ string, flt rules.MemberFilter, fn func(rules.MemberView) error) error {
	f.filter = flt
	for i, m := range f.members {
		if f.fail && i == f.failAt {
			return errors.New("store: connection lost")
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeFollow) OrdersOf(_ context.Context, _, status string, limit int) ([]rules.Order, error) {
	f.status, f.limit = status, limit
	decided := time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)
	return []rules.Order{{ID: 12, UserID: "alice", Item: "咖啡券", Cost: 50, Status: rules.OrderDone,
		At: time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC), DecidedBy: "owner1", DecidedAt: &decided}}, nil
}

func (f *fakeFollow) SchedulesOf(context.Context, string) ([]rules.ScheduleView, error) {
	next := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	return []rules.ScheduleView{{Schedule: rules.Schedule{ID: 3, Spec: "0 20 * * 5", Text: "本周话题", CreatedBy: "owner1",
		CreatedAt: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}, NextRun: &next}}, nil
}

func followFixture(t *testing.T, f *fakeFollow) *fixture {
	t.Helper()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return newFixture(t, func(d *Deps) {
		d.AdminToken, d.Admin, d.Location = adminToken, cannedAdmin(), shanghai
		d.Members, d.Orders, d.Schedules = f, f, f
	})
}

func twoMembers() []rules.MemberView {
	seen := time.Date(2026, 11, 21, 1, 30, 0, 0, time.UTC)
	return []rules.MemberView{
		{UserID: "alice", Name: "Alice", Points: 120, Level: 1, Title: "活跃成员", Segment: rules.SegmentHighValue, LastMessageAt: &seen},
		{UserID: "bob", Name: "=HYPERLINK(\"x\")", Title: "新人", Segment: rules.SegmentSilent, IsAdmin: true},
	}
}

func TestMemberListJSONAndCSV(t *testing.T) {
	f := &fakeFollow{members: twoMembers()}
	fx := followFixture(t, f)
	auth := []string{"Authorization", "Bearer " + adminToken}
	res := fx.do(t, http.MethodGet, "/api/v1/groups/G1/members?segment=silent&limit=10", nil, auth...)
	wantJSON := `{"members":[{"userid":"alice","name":"Alice","points":120,"level":1,"title":"活跃成员","checkin_streak":0,` +
		`"last_checkin_day":null,"warnings":0,"muted_until":null,"joined_at":null,"probation_until":null,"inviter":"",` +
		`"left_at":null,"is_admin":false,"segment":"high_value","last_message_at":"2026-11-21T09:30:00+08:00"},` +
		`{"userid":"bob","name":"=HYPERLINK(\"x\")","points":0,"level":0,"title":"新人","checkin_streak":0,` +
		`"last_checkin_day":null,"warnings":0,"muted_until":null,"joined_at":null,"probation_until":null,"inviter":"",` +
		`"left_at":null,"is_admin":true,"segment":"silent","last_message_at":null}]}`
	if res.status != http.StatusOK || res.body != wantJSON {
		t.Errorf("JSON list = %d %s\nwant %s", res.status, res.body, wantJSON)
	}
	if f.filter != (rules.MemberFilter{Segment: "silent", Limit: 10}) {
		t.Errorf("filter = %+v", f.filter)
	}
	res = fx.do(t, http.MethodGet, "/api/v1/groups/G1/members?format=csv", nil, auth...)
	wantCSV := "\uFEFFuserid,name,points,level,title,checkin_streak,last_checkin_day,warnings,muted_until,joined_at," +
		"probation_until,inviter,left_at,is_admin,segment,last_message_at\n" +
		"alice,Alice,120,1,活跃成员,0,,0,,,,,,false,high_value,2026-11-21T09:30:00+08:00\n" +
		"bob,\"'=HYPERLINK(\"\"x\"\")\",0,0,新人,0,,0,,,,,,true,silent,\n"
	if res.status != http.StatusOK || res.body != wantCSV {
		t.Errorf("CSV = %d %q\nwant %q", res.status, res.body, wantCSV)
	}
	if ct := res.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("CSV content type %q", ct)
	}
	if cd := res.header.Get("Content-Disposition"); !strings.Contains(cd, `filename="members-G1.csv"`) {
		t.Errorf("CSV disposition %q", cd)
	}
	empty := followFixture(t, &fakeFollow{})
	if res := empty.do(t, http.MethodGet, "/api/v1/groups/G9/members", nil, auth...); res.body != `{"members":[]}` {
		t.Errorf("empty list = %s", res.body)
	}
	for _, q := range []string{"?format=xml", "?segment=vip", "?limit=0"} {
		if res := fx.do(t, http.MethodGet, "/api/v1/groups/G1/members"+q, nil, auth...); res.status != http.StatusBadRequest {
			t.Errorf("members%s = %d %s, want 400", q, res.status, res.body)
		}
	}
	broken := followFixture(t, &fakeFollow{members: twoMembers(), fail: true, failAt: 1})
	if res := broken.do(t, http.MethodGet, "/api/v1/groups/G1/members", nil, auth...); strings.HasSuffix(res.body, "]}") {
		t.Errorf("a list cut short by an error ends like a whole one: %s", res.body)
	}
	failing := followFixture(t, &fakeFollow{members: twoMembers(), fail: true})
	if res := failing.do(t, http.MethodGet, "/api/v1/groups/G1/members", nil, auth...); res.status != http.StatusInternalServerError {
		t.Errorf("a list failing at once = %d %s, want 500", res.status, res.body)
	}
}

func TestOrdersAndSchedulesRoutes(t *testing.T) {
	f := &fakeFollow{}
	fx := followFixture(t, f)
	auth := []string{"Authorization", "Bearer " + adminToken}
	res := fx.do(t, http.MethodGet, "/api/v1/groups/G1/orders?status=done&limit=5", nil, auth...)
	want := `{"entries":[{"id":12,"userid":"alice","item":"咖啡券","cost":50,"status":"done",` +
		`"created_at":"2026-11-21T10:00:00+08:00","decided_by":"owner1","decided_at":"2026-11-21T11:00:00+08:00"}]}`
	if res.status != http.StatusOK || res.body != want || f.status != "done" || f.limit != 5 {
		t.Errorf("orders = %d %s (status %q limit %d)\nwant %s", res.status, res.body, f.status, f.limit, want)
	}
	fx.do(t, http.MethodGet, "/api/v1/groups/G1/orders", nil, auth...)
	if f.status != "" || f.limit != defaultOrderLimit {
		t.Errorf("orders without a query: status %q limit %d", f.status, f.limit)
	}
	if res := fx.do(t, http.MethodGet, "/api/v1/groups/G1/orders?status=lost", nil, auth...); res.status != http.StatusBadRequest {
		t.Errorf("bad status = %d", res.status)
	}
	res = fx.do(t, http.MethodGet, "/api/v1/groups/G1/schedules", nil, auth...)
	want = `{"entries":[{"id":3,"spec":"0 20 * * 5","text":"本周话题","created_by":"owner1",` +
		`"created_at":"2026-11-20T08:00:00+08:00","next_run":"2026-11-27T20:00:00+08:00"}]}`
	if res.status != http.StatusOK || res.body != want {
		t.Errorf("schedules = %d %s\nwant %s", res.status, res.body, want)
	}
	if res := fx.do(t, http.MethodGet, "/api/v1/groups/G1/orders", nil); res.status != http.StatusUnauthorized {
		t.Errorf("orders without the token = %d", res.status)
	}
}
