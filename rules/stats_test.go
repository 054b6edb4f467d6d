package rules

import (
	"reflect"
	"testing"
)

func TestHighValueDays(t *testing.T) {
	for days, want := range map[int]int{1: 1, 2: 1, 7: 4, 30: 15, 90: 45} {
		if got := highValueDays(days); got != want {
			t.Errorf("highValueDays(%d) = %d, want %d", days, got, want)
		}
	}
}

func TestSegment(t *testing.T) {
	tests := []struct {
		name             string
		days, members, c int
		hist             []ActiveDays
		want             Segments
	}{
		{"nobody spoke", 7, 10, 0, nil, Segments{Silent: 10}},
		{"half the days is high value", 7, 10, 1, []ActiveDays{
			{Days: 4, Present: true, Members: 2}, {Days: 3, Present: true, Members: 3}, {Days: 1, Present: true, Members: 1},
		}, Segments{HighValue: 2, Potential: 4, Silent: 4, Churned: 1}},
		{"speakers who left are churned, not segmented", 7, 5, 2, []ActiveDays{
			{Days: 7, Present: false, Members: 2}, {Days: 7, Present: true, Members: 1},
		}, Segments{HighValue: 1, Silent: 4, Churned: 2}},
		{"one day: every speaker is high value", 1, 3, 0, []ActiveDays{{Days: 1, Present: true, Members: 2}},
			Segments{HighValue: 2, Silent: 1}},
		{"silent never negative", 7, 1, 0, []ActiveDays{{Days: 1, Present: true, Members: 3}},
			Segments{Potential: 3}},
	}
	for _, tt := range tests {
		if got := segment(tt.days, tt.members, tt.c, tt.hist); got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
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
	if st.Speakers != 5 || st.Members != 20 || st.Days != 2 {
		t.Errorf("speakers, members, days = %d %d %d, want 5 20 2", st.Speakers, st.Members, st.Days)
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
	if wantSeg := (Segments{HighValue: 4, Silent: 16, Churned: 3}); st.Segments != wantSeg {
		t.Errorf("segments = %+v, want %+v", st.Segments, wantSeg)
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
