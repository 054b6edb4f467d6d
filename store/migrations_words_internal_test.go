package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
)

// A database written before reasons lost their countdown reads them
// without it after the upgrade.
func TestReasonsLoseTheirCountdown(t *testing.T) {
	ctx := context.Background()
	o := Options{DataDir: t.TempDir()}
	saved := registry
	registry = slices.DeleteFunc(slices.Clone(saved), func(m Migration) bool { return m.Version >= 950 })
	old, err := Open(ctx, o)
	registry = saved
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	stale := "禁言期间发言（还剩 9分钟59秒）"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(old.AddViolation(ctx, rules.Violation{ChatID: "G1", UserID: "carol", Kind: rules.ViolationMuted, Reason: stale, Source: "m1", Actor: "qunbot", At: now}))
	must(old.AddViolation(ctx, rules.Violation{ChatID: "G1", UserID: "carol", Kind: rules.ViolationManual, Reason: "刷屏", Source: "m2", Actor: "boss", At: now}))
	id, err := old.AddRemoval(ctx, rules.Removal{ChatID: "G1", UserID: "carol", Reason: stale, Actor: "qunbot", At: now})
	must(err)
	must(old.Close())

	s, err := Open(ctx, o)
	must(err)
	defer s.Close()
	active, err := s.ActiveViolations(ctx, "G1", "carol", now.Add(-time.Hour), false)
	must(err)
	var reasons []string
	for _, v := range active {
		reasons = append(reasons, v.Reason)
	}
	slices.Sort(reasons)
	if want := []string{"刷屏", "禁言期间发言"}; !slices.Equal(reasons, want) {
		t.Errorf("violation reasons = %q, want %q", reasons, want)
	}
	r, err := s.Removal(ctx, id)
	must(err)
	if r.Reason != "禁言期间发言" {
		t.Errorf("removal reason = %q, want 禁言期间发言", r.Reason)
	}
}
