package rules

import (
	"testing"
	"time"
)

func TestClimb(t *testing.T) {
	std := []Rung{{1, ActionWarn, 0}, {2, ActionMute, 10 * time.Minute}, {3, ActionRemove, 0}}
	sparse := []Rung{{2, ActionMute, time.Hour}, {5, ActionRemove, 0}}
	tests := []struct {
		name        string
		ladder      []Rung
		prev, count int
		want        string
		crossed     bool
		top         int
	}{
		{"first warns", std, 0, 1, ActionWarn, true, 3},
		{"second mutes", std, 1, 2, ActionMute, true, 3},
		{"third removes", std, 2, 3, ActionRemove, true, 3},
		{"beyond the top repeats it", std, 3, 4, ActionRemove, true, 3},
		{"beyond a mute top mutes again", std[:2], 5, 6, ActionMute, true, 2},
		{"jump fires only the highest", std, 0, 3, ActionRemove, true, 3},
		{"below the first rung warns", sparse, 0, 1, ActionWarn, false, 5},
		{"sparse mute", sparse, 1, 2, ActionMute, true, 5},
		{"between rungs warns", sparse, 2, 3, ActionWarn, false, 5},
		{"not re-crossed", sparse, 2, 2, ActionWarn, false, 5},
		{"empty ladder warns", nil, 0, 1, ActionWarn, false, 1},
	}
	for _, tt := range tests {
		got := climb(tt.ladder, tt.prev, tt.count)
		if got.Rung.Action != tt.want || got.Crossed != tt.crossed || got.Top != tt.top || got.Count != tt.count {
			t.Errorf("%s: climb = %+v, want action %s crossed %v top %d", tt.name, got, tt.want, tt.crossed, tt.top)
		}
	}
	if got := climb(std, 1, 2).Rung.For; got != 10*time.Minute {
		t.Errorf("mute rung duration = %v, want 10m", got)
	}
}
