package store_test

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

func TestBanwords(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		for _, b := range []rules.Banword{
			{ChatID: "G1", Pattern: "加微信", Actor: "boss"},
			{ChatID: "G1", Pattern: `v[x信]\d+`, Regex: true, Actor: "boss"},
			{ChatID: "G2", Pattern: "加微信", Actor: "boss"},
		} {
			added, err := s.AddBanword(ctx, b, t0)
			if err != nil || !added {
				t.Fatalf("AddBanword(%+v) = %v, %v; want added", b, added, err)
			}
		}
		if added, err := s.AddBanword(ctx, rules.Banword{ChatID: "G1", Pattern: "加微信"}, t0); err != nil || added {
			t.Errorf("second AddBanword = %v, %v; want not added", added, err)
		}
		got, err := s.Banwords(ctx, "G1")
		must(t, err)
		want := []rules.Banword{{ChatID: "G1", Pattern: "加微信", Actor: "boss"}, {ChatID: "G1", Pattern: `v[x信]\d+`, Regex: true, Actor: "boss"}}
		if !slices.Equal(got, want) {
			t.Errorf("Banwords = %+v, want %+v", got, want)
		}
		removed, err := s.DelBanword(ctx, "G1", "加微信")
		must(t, err)
		again, err := s.DelBanword(ctx, "G1", "加微信")
		if !removed || again || err != nil {
			t.Errorf("DelBanword = %v then %v (%v), want true then false", removed, again, err)
		}
	})
}

func TestActiveViolations(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		add := func(at time.Time, kind string, shadow bool) {
			must(t, s.AddViolation(ctx, rules.Violation{ChatID: "G1", UserID: "bob", Kind: kind, Reason: kind,
				Evidence: "证据", Source: "m-" + kind, Actor: "qunbot", Shadow: shadow, At: at}))
		}
		add(t0, "old", false)
		add(t0.Add(time.Hour), "banword", false)
		add(t0.Add(2*time.Hour), "flood", false)
		add(t0.Add(2*time.Hour), "shadowed", true)
		got, err := s.ActiveViolations(ctx, "G1", "bob", t0.Add(time.Minute), false)
		must(t, err)
		if len(got) != 2 || got[0].Kind != "flood" || got[1].Kind != "banword" || !got[0].At.Equal(t0.Add(2*time.Hour)) {
			t.Fatalf("ActiveViolations = %+v, want flood then banword", got)
		}
		must(t, s.RevokeViolation(ctx, got[0].ID, "boss", t0.Add(3*time.Hour)))
		after, err := s.ActiveViolations(ctx, "G1", "bob", time.Time{}, false)
		must(t, err)
		if len(after) != 2 || after[0].Kind != "banword" {
			t.Errorf("after revoke = %+v, want banword and old", after)
		}
		shadow, err := s.ActiveViolations(ctx, "G1", "bob", time.Time{}, true)
		must(t, err)
		if len(shadow) != 1 || !shadow[0].Shadow {
			t.Errorf("shadow violations = %+v, want one", shadow)
		}
	})
}

// Of two racing clicks on one removal card exactly one decides.
func TestDecideRemovalOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		id, err := s.AddRemoval(ctx, rules.Removal{ChatID: "G1", UserID: "bob", Reason: "刷屏", Evidence: "x", Actor: "qunbot", At: t0})
		must(t, err)
		if _, err := s.Removal(ctx, id+100); !errors.Is(err, rules.ErrNotFound) {
			t.Errorf("unknown removal error = %v, want ErrNotFound", err)
		}
		var wg sync.WaitGroup
		decided := make([]bool, 4)
		for i := range decided {
			wg.Go(func() {
				err := s.Atomic(ctx, func(tx rules.Tx) error {
					var err error
					decided[i], err = tx.DecideRemoval(ctx, id, rules.DecisionRemove, "owner1", t0.Add(time.Minute))
					return err
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		n := 0
		for _, d := range decided {
			if d {
				n++
			}
		}
		r, err := s.Removal(ctx, id)
		must(t, err)
		if n != 1 || r.Decision != rules.DecisionRemove || r.Decider != "owner1" || r.DecidedAt == nil {
			t.Errorf("%d decided; removal = %+v; want exactly one decision by owner1", n, r)
		}
	})
}

func TestHitWindow(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		hit := func(id string, at time.Time) int {
			t.Helper()
			n, err := s.HitWindow(ctx, "G1", "bob", "flood", id, at, 10*time.Second)
			must(t, err)
			return n
		}
		steps := []struct {
			id   string
			at   time.Duration
			want int
		}{
			{"m1", 0, 1}, {"m2", time.Second, 2}, {"m2", time.Second, 2}, {"m3", 9 * time.Second, 3},
			{"m4", 10*time.Second + time.Millisecond, 3}, // m1 has left the window
		}
		for _, st := range steps {
			if got := hit(st.id, t0.Add(st.at)); got != st.want {
				t.Errorf("HitWindow(%s at +%v) = %d, want %d", st.id, st.at, got, st.want)
			}
		}
		must(t, s.ClearWindow(ctx, "G1", "bob", "flood"))
		if got := hit("m5", t0.Add(11*time.Second)); got != 1 {
			t.Errorf("after ClearWindow = %d, want 1", got)
		}
	})
}
