package store_test

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

func TestGroupsAndMemberCounts(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		must(t, s.EnsureGroup(ctx, "G2", t0))
		must(t, s.EnsureGroup(ctx, "G1", t0))
		must(t, s.EnsureGroup(ctx, "G1", t0.Add(time.Hour))) // no-op: first seen stays
		for _, u := range []string{"alice", "bob", "carol"} {
			must(t, s.TouchMember(ctx, "G1", u, t0))
		}
		left := t0.Add(time.Minute)
		must(t, s.SaveMember(ctx, rules.Member{ChatID: "G1", UserID: "carol", LeftAt: &left}))
		must(t, s.TouchMember(ctx, "G3", "alice", t0)) // a member of a group never ensured
		got, err := s.ListGroups(ctx)
		must(t, err)
		want := []rules.GroupSummary{{ChatID: "G1", Members: 2, FirstSeen: t0}, {ChatID: "G2", Members: 0, FirstSeen: t0}}
		if !slices.EqualFunc(got, want, func(a, b rules.GroupSummary) bool {
			return a.ChatID == b.ChatID && a.Members == b.Members && a.FirstSeen.Equal(b.FirstSeen)
		}) {
			t.Errorf("ListGroups() = %+v, want %+v", got, want)
		}
	})
}

func TestSettingOverrides(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		got, err := s.SettingOverrides(ctx, "G1")
		must(t, err)
		if len(got) != 0 {
			t.Errorf("SettingOverrides(new group) = %v, want empty", got)
		}
		must(t, s.SetSetting(ctx, "G1", "checkin.points", "5", "alice", t0))
		must(t, s.SetSetting(ctx, "G1", "welcome", "欢迎 {name} 🎉", "alice", t0))
		must(t, s.SetSetting(ctx, "G1", "checkin.points", "8", "bob", t0))
		must(t, s.SetSetting(ctx, "G2", "checkin.points", "1", "bob", t0))
		got, err = s.SettingOverrides(ctx, "G1")
		must(t, err)
		want := map[string]string{"checkin.points": "8", "welcome": "欢迎 {name} 🎉"}
		if !maps.Equal(got, want) {
			t.Errorf("SettingOverrides(G1) = %v, want %v", got, want)
		}
	})
}

func TestGroupAdmins(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		must(t, s.AddGroupAdmin(ctx, "G1", "bob", "owner", t0))
		must(t, s.AddGroupAdmin(ctx, "G1", "alice", "owner", t0))
		must(t, s.AddGroupAdmin(ctx, "G1", "alice", "owner", t0)) // twice is fine
		must(t, s.AddGroupAdmin(ctx, "G2", "carol", "owner", t0))
		got, err := s.GroupAdmins(ctx, "G1")
		must(t, err)
		if want := []string{"alice", "bob"}; !slices.Equal(got, want) {
			t.Errorf("GroupAdmins(G1) = %v, want %v", got, want)
		}
		tests := []struct {
			chat, user string
			want       bool
		}{{"G1", "alice", true}, {"G1", "carol", false}, {"G2", "carol", true}}
		for _, tt := range tests {
			if got, err := s.IsGroupAdmin(ctx, tt.chat, tt.user); err != nil || got != tt.want {
				t.Errorf("IsGroupAdmin(%s, %s) = %v, %v; want %v", tt.chat, tt.user, got, err, tt.want)
			}
		}
		removed, err := s.DelGroupAdmin(ctx, "G1", "alice")
		must(t, err)
		again, err := s.DelGroupAdmin(ctx, "G1", "alice")
		must(t, err)
		if !removed || again {
			t.Errorf("DelGroupAdmin twice = %v, %v; want true, false", removed, again)
		}
	})
}

func TestModlog(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		for i, action := range []string{rules.ModWarn, rules.ModMute, rules.ModRemove} {
			must(t, s.AddModlog(ctx, rules.ModEntry{ChatID: "G1", Action: action, Actor: "admin",
				Target: "spammer", Reason: "广告", Evidence: "加我微信 😀", At: t0.Add(time.Duration(i) * time.Minute)}))
		}
		must(t, s.AddModlog(ctx, rules.ModEntry{ChatID: "G2", Action: rules.ModWarn}))
		got, err := s.ModlogEntries(ctx, "G1", 2)
		must(t, err)
		if len(got) != 2 {
			t.Fatalf("ModlogEntries(limit 2) returned %d entries", len(got))
		}
		want := rules.ModEntry{ID: got[0].ID, ChatID: "G1", Action: rules.ModRemove, Actor: "admin",
			Target: "spammer", Reason: "广告", Evidence: "加我微信 😀", At: t0.Add(2 * time.Minute)}
		if got[0] != want || got[1].Action != rules.ModMute || got[1].ID >= got[0].ID {
			t.Errorf("ModlogEntries() = %+v, want newest first starting with %+v", got, want)
		}
		other, err := s.ModlogEntries(ctx, "G2", 0)
		must(t, err)
		if len(other) != 1 || !other[0].At.Equal(t0) {
			t.Errorf("ModlogEntries(G2) = %+v, want one entry at the store's now", other)
		}
	})
}
