package rules

import (
	"context"
	"testing"
	"time"
)

// racyGroups answers SettingOverrides with what a turn's transaction saw,
// while another replica's change commits and invalidates the cache before
// the turn's compiled settings are stored.
type racyGroups struct {
	Groups
	c         *settingsCache
	overrides map[string]string
	next      map[string]string
}

func (g *racyGroups) SettingOverrides(context.Context, string) (map[string]string, error) {
	seen := g.overrides
	if g.next != nil {
		g.overrides, g.next = g.next, nil
		g.c.invalidate("G1") // the change is committed and published meanwhile
	}
	return seen, nil
}

func (g *racyGroups) EnsureGroup(context.Context, string, time.Time) error { return nil }

// A compile that raced an invalidation must not be cached: the change it
// missed would otherwise never reach this replica.
func TestSettingsCompiledBeforeAChangeAreNotCached(t *testing.T) {
	c, err := newSettingsCache(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := &racyGroups{c: c, overrides: map[string]string{"rules": "旧群规"}, next: map[string]string{"rules": "新群规"}}
	if s, err := c.get(context.Background(), g, "G1"); err != nil || s.Rules != "旧群规" {
		t.Fatalf("first read = %+v, %v", s, err)
	}
	s, err := c.get(context.Background(), g, "G1")
	if err != nil {
		t.Fatal(err)
	}
	if s.Rules != "新群规" {
		t.Errorf("rules after the change = %q, want 新群规", s.Rules)
	}
}
