package rules

import (
	"reflect"
	"testing"
	"time"
)

func TestSegmentOf(t *testing.T) {
	s, err := Layers{}.Compile() // the defaults: 21/7d, 30d, 90d
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	joined := func(day string) *time.Time {
		tm, _ := time.ParseInLocation(time.DateOnly, day, sh)
		tm = tm.Add(23 * time.Hour) // late in the local day: still that day in Shanghai
		return &tm
	}
	const day = "2026-11-30"
	tests := []struct {
		name string
		a    MemberActivity
		want string
	}{
		{"3 a day over the week", MemberActivity{LastDay: "2026-11-30", Recent: 21, JoinedAt: joined("2026-01-01")}, SegmentHighValue},
		{"20 in the week", MemberActivity{LastDay: "2026-11-30", Recent: 20, JoinedAt: joined("2026-01-01")}, SegmentPotential},
		{"2 a week", MemberActivity{LastDay: "2026-11-25", Recent: 2, JoinedAt: joined("2026-01-01")}, SegmentPotential},
		{"spoke 29 days ago", MemberActivity{LastDay: "2026-11-01", JoinedAt: joined("2026-01-01")}, SegmentPotential},
		{"nothing for 30 days", MemberActivity{LastDay: "2026-10-31", JoinedAt: joined("2026-01-01")}, SegmentSilent},
		{"nothing for 89 days", MemberActivity{LastDay: "2026-09-02", JoinedAt: joined("2026-01-01")}, SegmentSilent},
		{"nothing for 90 days", MemberActivity{LastDay: "2026-09-01", JoinedAt: joined("2026-01-01")}, SegmentChurned},
		{"never spoke, joined a week ago", MemberActivity{JoinedAt: joined("2026-11-23")}, SegmentPotential},
		{"never spoke, joined 30 days ago", MemberActivity{JoinedAt: joined("2026-10-31")}, SegmentSilent},
		{"never spoke, joined long ago", MemberActivity{JoinedAt: joined("2025-01-01")}, SegmentChurned},
		{"rejoined after a long silence", MemberActivity{LastDay: "2025-06-01", JoinedAt: joined("2026-11-29")}, SegmentPotential},
		{"left", MemberActivity{LastDay: "2026-11-30", Recent: 50, Left: true}, SegmentChurned},
	}
	cuts := s.cutsOn(sh, day)
	for _, tt := range tests {
		if got := cuts.segmentOf(tt.a); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
	wantCuts := SegmentCuts{Day: day, ChurnedDay: "2026-09-01", SilentDay: "2026-10-31", RecentFrom: "2026-11-24", HighValue: 21,
		ChurnedBefore: time.Date(2026, 9, 2, 0, 0, 0, 0, sh), SilentBefore: time.Date(2026, 11, 1, 0, 0, 0, 0, sh)}
	if cuts != wantCuts {
		t.Errorf("cuts = %+v\nwant %+v", cuts, wantCuts)
	}
	// a join at 23:00 local on the cut day is on it; at 00:00 the next, after it
	late := time.Date(2026, 10, 31, 23, 0, 0, 0, sh)
	next := time.Date(2026, 11, 1, 0, 0, 0, 0, sh)
	if cuts.segmentOf(MemberActivity{JoinedAt: &late}) != SegmentSilent || cuts.segmentOf(MemberActivity{JoinedAt: &next}) != SegmentPotential {
		t.Error("the silent cut-off is not the end of its day")
	}
}

func TestDerive(t *testing.T) {
	daily := []DayCounts{
		{Day: "2026-11-20", Messages: 30, Speakers: 4, Checkins: 3, Joins: 2, Leaves: 1},
		{Day: "2026-11-21", Messages: 12, Speakers: 3, Checkins: 2, Leaves: 2},
	}
	hist := []ActiveDays{{Days: 2, Present: true, Members: 2}, {Days: 1, Present: true, Members: 2},
		{Days: 1, Present: false, Members: 1}}
	st := derive(2, 20, 3, daily, hist)
	want := DayCounts{Messages: 42, Speakers: 7, Checkins: 5, Joins: 2, Leaves: 3}
	if st.Total != want {
		t.Errorf("total = %+v, want %+v", st.Total, want)
	}
	if st.Speakers != 5 || st.Members != 20 || st.Days != 2 || st.Unheard != 16 || st.Left != 3 {
		t.Errorf("speakers, members, days, unheard, left = %d %d %d %d %d, want 5 20 2 16 3",
			st.Speakers, st.Members, st.Days, st.Unheard, st.Left)
	}
	checks := []struct {
		name      string
		got, want float64
	}{
		{"messages_per_member_per_day = 42 / (20 × 2)", st.MessagesPerMemberPerDay, 1.05},
		{"speaker_share = 5 / (20 + 3)", st.SpeakerShare, 0.2174},
		{"quit_rate = 3 / (20 + 3)", st.QuitRate, 0.1304},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	empty := derive(7, 0, 0, nil, nil)
	if empty.MessagesPerMemberPerDay != 0 || empty.SpeakerShare != 0 || empty.QuitRate != 0 {
		t.Errorf("empty group ratios = %+v, want zeros", empty)
	}
}

func TestWindowDaysAndFill(t *testing.T) {
	days, err := windowDays("2026-03-01", 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2026-02-27", "2026-02-28", "2026-03-01"}; !reflect.DeepEqual(days, want) {
		t.Errorf("windowDays = %v, want %v", days, want)
	}
	got := fillDays(days, []DayCounts{{Day: "2026-02-28", Messages: 4}})
	want := []DayCounts{{Day: "2026-02-27"}, {Day: "2026-02-28", Messages: 4}, {Day: "2026-03-01"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("fillDays = %+v, want %+v", got, want)
	}
	if _, err := windowDays("yesterday", 3); err == nil {
		t.Error("windowDays accepted a bad day")
	}
}

func TestParseStatsDays(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"", 7, true}, {"7d", 7, true}, {"30d", 30, true}, {"30D", 30, true}, {"14", 14, true}, {"3天", 3, true},
		{"90d", 90, true}, {"91d", 0, false}, {"0d", 0, false}, {"-1", 0, false}, {"week", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseStatsDays(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseStatsDays(%q) = %d %v, want %d %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
