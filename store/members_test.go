package store_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

func tp(d time.Duration) *time.Time {
	t := t0.Add(d)
	return &t
}

func TestTouchMemberKeepsFields(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		must(t, s.TouchMember(ctx, "G1", "alice", t0))
		got, err := s.Member(ctx, "G1", "alice")
		must(t, err)
		want := rules.Member{ChatID: "G1", UserID: "alice", JoinedAt: tp(0)}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Member after first touch = %+v, want %+v", got, want)
		}
		full := rules.Member{ChatID: "G1", UserID: "alice", JoinedAt: tp(-time.Hour), JoinScene: 3,
			Inviter: "bob", Removed: true, LeftAt: tp(time.Hour), ProbationUntil: tp(2 * time.Hour),
			MutedUntil: tp(3 * time.Hour), Approved: true}
		must(t, s.SaveMember(ctx, full))
		must(t, s.TouchMember(ctx, "G1", "alice", t0.Add(5*time.Hour)))
		must(t, s.SetName(ctx, "alice", "爱丽丝", t0))
		full.Name = "爱丽丝"
		if got, err = s.Member(ctx, "G1", "alice"); err != nil || !reflect.DeepEqual(got, full) {
			t.Errorf("Member after save+touch = %+v, %v; want %+v", got, err, full)
		}
	})
}

func TestMembersNamed(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		names := map[string]string{"u1": "张三", "u2": "张三", "u3": "李四", "u4": "张三"}
		for u, n := range names {
			must(t, s.SetName(ctx, u, n, t0))
		}
		must(t, s.SetName(ctx, "u3", "张三丰", t0.Add(time.Minute))) // renamed
		for _, u := range []string{"u1", "u2", "u3"} {
			must(t, s.TouchMember(ctx, "G1", u, t0))
		}
		must(t, s.SaveMember(ctx, rules.Member{ChatID: "G1", UserID: "u1", LeftAt: tp(time.Minute)}))
		must(t, s.TouchMember(ctx, "G2", "u4", t0)) // same name, other group
		tests := []struct {
			name string
			want []string
		}{{"张三", []string{"u2", "u1"}}, {"张三丰", []string{"u3"}}, {"李四", nil}, {"nobody", nil}}
		for _, tt := range tests {
			ms, err := s.MembersNamed(ctx, "G1", tt.name)
			must(t, err)
			var got []string
			for _, m := range ms {
				got = append(got, m.UserID)
				if m.Name != tt.name {
					t.Errorf("MembersNamed(%s) member %s has name %q", tt.name, m.UserID, m.Name)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("MembersNamed(%s) = %v, want %v (current members first)", tt.name, got, tt.want)
			}
		}
		if n, err := s.Name(ctx, "u3"); err != nil || n != "张三丰" {
			t.Errorf("Name(u3) = %q, %v; want 张三丰", n, err)
		}
	})
}
