package store_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

func TestJoinsRoundTripAndOpen(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		j := rules.Join{ChatID: "G1", UserID: "alice", EventID: "ev1", JoinedAt: t0, Scene: 3,
			Quiz: rules.QuizPending, QuizDue: tp(10 * time.Minute)}
		added, err := s.AddJoin(ctx, j)
		must(t, err)
		if !added {
			t.Fatal("first AddJoin not added")
		}
		if added, err = s.AddJoin(ctx, j); err != nil || added {
			t.Errorf("repeated AddJoin = %v, %v; want false, nil", added, err)
		}
		_, err = s.AddJoin(ctx, rules.Join{ChatID: "G1", UserID: "bob", EventID: "ev1", JoinedAt: t0})
		must(t, err)
		got, err := s.LatestJoin(ctx, "G1", "alice")
		must(t, err)
		j.ID = got.ID
		if !reflect.DeepEqual(got, j) {
			t.Errorf("LatestJoin = %+v, want %+v", got, j)
		}
		got.Welcomed, got.InviterKnown, got.Inviter, got.Credited = true, true, "carol", 10
		must(t, s.SaveJoin(ctx, got))
		open, err := s.OpenJoins(ctx, "G1")
		must(t, err)
		if len(open) != 2 || open[0].UserID != "alice" || open[1].UserID != "bob" {
			t.Fatalf("OpenJoins = %+v, want alice (quiz pending) then bob", open)
		}
		got.Quiz = rules.QuizPassed
		must(t, s.SaveJoin(ctx, got))
		open, err = s.OpenJoins(ctx, "G1")
		must(t, err)
		if len(open) != 1 || open[0].UserID != "bob" {
			t.Errorf("OpenJoins after settling alice = %+v, want bob only", open)
		}
		again, err := s.LatestJoin(ctx, "G1", "alice")
		must(t, err)
		if !reflect.DeepEqual(again, got) {
			t.Errorf("LatestJoin after save = %+v, want %+v", again, got)
		}
		if _, err := s.LatestJoin(ctx, "G1", "nobody"); !errors.Is(err, rules.ErrNotFound) {
			t.Errorf("LatestJoin(nobody) err = %v, want ErrNotFound", err)
		}
	})
}

func TestMemVersionAndPresentMembers(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		v, err := s.MemVersion(ctx, "G1")
		if err != nil || v != "" {
			t.Errorf("MemVersion of a new group = %q, %v; want empty", v, err)
		}
		must(t, s.SetMemVersion(ctx, "G1", "v1", t0))
		must(t, s.SetMemVersion(ctx, "G1", "v2", t0.Add(time.Second)))
		if v, err = s.MemVersion(ctx, "G1"); err != nil || v != "v2" {
			t.Errorf("MemVersion = %q, %v; want v2", v, err)
		}
		must(t, s.TouchMember(ctx, "G1", "a", t0))
		must(t, s.TouchMember(ctx, "G1", "b", t0))
		must(t, s.SaveMember(ctx, rules.Member{ChatID: "G1", UserID: "b", LeftAt: tp(time.Minute)}))
		must(t, s.TouchMember(ctx, "G2", "c", t0))
		ms, err := s.PresentMembers(ctx, "G1")
		must(t, err)
		if len(ms) != 1 || ms[0].UserID != "a" {
			t.Errorf("PresentMembers = %+v, want only a", ms)
		}
	})
}

func TestKeywordReplies(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		rows := []rules.KeywordReply{
			{ChatID: "G1", Kind: rules.MatchContains, Pattern: "福利", Text: "周五", CreatedBy: "boss", At: t0},
			{ChatID: "G1", Kind: rules.MatchContains, Pattern: "福利", Text: "见公告", CreatedBy: "boss", At: t0},
			{ChatID: "G1", Kind: rules.MatchRegex, Pattern: "(发票|报销)", Text: "找财务", CreatedBy: "boss", At: t0},
			{ChatID: "G2", Kind: rules.MatchContains, Pattern: "福利", Text: "G2", CreatedBy: "boss", At: t0},
		}
		for _, r := range rows {
			must(t, s.AddKeywordReply(ctx, r))
		}
		got, err := s.KeywordReplies(ctx, "G1")
		must(t, err)
		if len(got) != 3 || got[0].Text != "周五" || got[1].Text != "见公告" || got[2].Pattern != "(发票|报销)" {
			t.Fatalf("KeywordReplies = %+v", got)
		}
		if !got[0].At.Equal(t0.Truncate(time.Millisecond)) || got[0].CreatedBy != "boss" || got[0].ID == 0 {
			t.Errorf("row fields = %+v", got[0])
		}
		n, err := s.DelKeywordReplies(ctx, "G1", rules.MatchContains, "福利")
		if err != nil || n != 2 {
			t.Errorf("DelKeywordReplies = %d, %v; want 2", n, err)
		}
		if n, _ = s.DelKeywordReplies(ctx, "G1", rules.MatchRegex, "福利"); n != 0 {
			t.Errorf("delete of another kind removed %d", n)
		}
		if got, _ = s.KeywordReplies(ctx, "G2"); len(got) != 1 {
			t.Errorf("G2 replies = %+v, want untouched", got)
		}
	})
}

func TestReplyCooldown(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		steps := []struct {
			rule  string
			after time.Duration
			want  bool
		}{
			{"contains:福利", 0, true},
			{"contains:福利", 29 * time.Second, false},
			{"regex:(发票|报销)", 29 * time.Second, true},
			{"contains:福利", 30 * time.Second, true},
			{"contains:福利", 59 * time.Second, false},
		}
		for _, st := range steps {
			got, err := s.TakeReplyCooldown(ctx, "G1", st.rule, t0.Add(st.after), 30*time.Second)
			must(t, err)
			if got != st.want {
				t.Errorf("TakeReplyCooldown(%s, +%v) = %v, want %v", st.rule, st.after, got, st.want)
			}
		}
		if ok, _ := s.TakeReplyCooldown(ctx, "G2", "contains:福利", t0, 30*time.Second); !ok {
			t.Error("cooldown leaked into another group")
		}
	})
}
