package rules

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

func at(d time.Duration) *time.Time { x := t0.Add(d); return &x }

func TestInProbation(t *testing.T) {
	s := &Settings{Probation: 72 * time.Hour}
	var m Member
	setJoined(&m, s, t0, 0, "alice")
	tests := []struct {
		now  time.Time
		left bool
		want bool
	}{
		{t0, false, true},
		{t0.Add(72*time.Hour - time.Second), false, true},
		{t0.Add(72 * time.Hour), false, false},
		{t0.Add(time.Hour), true, false},
	}
	for _, tt := range tests {
		m := m
		if tt.left {
			m.LeftAt = at(0)
		}
		if got := m.InProbation(tt.now); got != tt.want {
			t.Errorf("InProbation(%v, left=%v) = %v, want %v", tt.now, tt.left, got, tt.want)
		}
	}
	if m.Inviter != "alice" || m.JoinedAt == nil || !m.JoinedAt.Equal(t0) {
		t.Errorf("setJoined gave %+v", m)
	}
	setJoined(&m, &Settings{}, t0, 3, "")
	if m.ProbationUntil != nil || m.InProbation(t0) {
		t.Errorf("probation 0 still gave %v", m.ProbationUntil)
	}
}

func TestBatchInFlight(t *testing.T) {
	now := t0.Add(time.Minute)
	tests := []struct {
		name string
		open []Join
		want bool
	}{
		{"none", nil, false},
		{"recent unwelcomed", []Join{{JoinedAt: now.Add(-2 * time.Second)}}, true},
		{"recent welcomed", []Join{{JoinedAt: now.Add(-2 * time.Second), Welcomed: true}}, false},
		{"stale unwelcomed", []Join{{JoinedAt: now.Add(-welcomeWindow)}}, false},
	}
	for _, tt := range tests {
		if got := batchInFlight(tt.open, now); got != tt.want {
			t.Errorf("%s: batchInFlight = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestJoinOwes(t *testing.T) {
	tests := []struct {
		j    Join
		want bool
	}{
		{Join{}, true},
		{Join{Welcomed: true, InviterKnown: true}, false},
		{Join{Welcomed: true, InviterKnown: true, Quiz: QuizPending}, true},
		{Join{Welcomed: true, InviterKnown: true, Quiz: QuizFailed}, false},
		{Join{LeftAt: at(0)}, false},
	}
	for _, tt := range tests {
		if got := tt.j.Owes(); got != tt.want {
			t.Errorf("%+v.Owes() = %v, want %v", tt.j, got, tt.want)
		}
	}
}

func TestQuizAnswered(t *testing.T) {
	tests := []struct {
		text    string
		answers []string
		want    bool
	}{
		{"Go", []string{"go", "golang"}, true},
		{"我觉得是 golang 吧", []string{"go语言", "golang"}, true},
		{"python", []string{"go语言", "golang"}, false},
		{"随便", nil, true},
		{"  ", nil, false},
	}
	for _, tt := range tests {
		if got := quizAnswered(tt.text, tt.answers); got != tt.want {
			t.Errorf("quizAnswered(%q, %v) = %v, want %v", tt.text, tt.answers, got, tt.want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{10 * time.Minute, "10分钟"},
		{90 * time.Second, "1分钟30秒"},
		{3 * 24 * time.Hour, "3天"},
		{0, "0秒"},
	}
	for _, tt := range tests {
		if got := SayDuration(tt.d); got != tt.want {
			t.Errorf("SayDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
