package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

// longConnEngine is an engine in long-connection mode with two internal
// groups without a webhook key, owned by owner1.
func longConnEngine(t *testing.T, s *store.Store, clk *clock) *rules.Engine {
	t.Helper()
	g := map[string]string{"kind": "internal", "owner": "owner1"}
	e, err := rules.New(rules.Deps{Store: s, Counters: s, Now: clk.Now, Location: shanghai, LongConn: true,
		Groups: map[string]map[string]string{"G4": g, "G5": g}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// wsSay is an @-message over the long connection.
func wsSay(id, chat, from, text string) bot.Event {
	return bot.Event{ID: id, Channel: bot.ChannelAIBotWS, Kind: bot.KindMessage, ChatID: chat, From: from, Text: text, MsgType: "text"}
}

// known records members seen in a group (not over the long connection), so
// an admin may name them.
func known(t *testing.T, s *store.Store, clk *clock, chat string, users ...string) {
	t.Helper()
	for _, u := range users {
		must(t, s.TouchMember(ctx, chat, u, clk.Now()))
	}
}

// adminWarn is an admin's /warn from the 1:1 chat with the app: its notice
// has no message to answer, so it is posted (INTERFACE.md section 8).
func adminWarn(id, chat, user string) bot.Event {
	return bot.Event{ID: id, Channel: bot.ChannelApp, Kind: bot.KindMessage, From: "owner1",
		Text: "/in " + chat + " /warn " + user + " 刷屏", MsgType: "text"}
}

// delivered runs the outbox as the connection holder and returns what went out.
func delivered(t *testing.T, s *store.Store, f *fakeSender) []bot.Action {
	t.Helper()
	w := s.NewWorker(store.WorkerOptions{Sender: f, LongConn: func() bool { return true }})
	drain(t, w)
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.got
	f.got = nil
	return out
}

func kinds(as []bot.Action) []bot.ActionKind {
	var out []bot.ActionKind
	for _, a := range as {
		if a.Kind != bot.ActFetchUser {
			out = append(out, a.Kind)
		}
	}
	return out
}

func TestPostsGoByTheLongConnectionWhereAMemberSpoke(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		e := longConnEngine(t, s, clk)
		f := &fakeSender{}
		known(t, s, clk, "G5", "carol")
		if _, err := e.Handle(ctx, wsSay("ws-1", "G4", "bob", "帮助")); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Handle(ctx, adminWarn("dm-1", "G4", "bob")); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Handle(ctx, adminWarn("dm-2", "G5", "carol")); err != nil {
			t.Fatal(err)
		}
		got := delivered(t, s, f)
		var g4, g5 []bot.Action
		for _, a := range got {
			switch a.ChatID {
			case "G4":
				g4 = append(g4, a)
			case "G5":
				g5 = append(g5, a)
			}
		}
		if len(g4) != 1 || g4[0].Kind != bot.ActAIBotSend || g4[0].Key == "" ||
			len(g4[0].Fallback) != 1 || g4[0].Fallback[0].Kind != bot.ActAppMessage {
			t.Errorf("G4 (a member spoke over the long connection) got %+v, want one aibot_send with the staff message as fallback", g4)
		}
		if k := kinds(g5); len(k) != 1 || k[0] != bot.ActAppMessage {
			t.Errorf("G5 (never spoke) got %v, want the staff message", k)
		}
		groups, err := e.Groups(ctx)
		must(t, err)
		for _, g := range groups {
			if want := map[string]string{"G4": rules.ReachYes}[g.ChatID]; g.Reach.State != want {
				t.Errorf("%s reach %q, want %q", g.ChatID, g.Reach.State, want)
			}
		}
	})
}

func TestRefusedPostFallsBackOnceAndUntilAMemberSpeaksAgain(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		e := longConnEngine(t, s, clk)
		f := &fakeSender{}
		known(t, s, clk, "G4", "carol", "dave")
		if _, err := e.Handle(ctx, wsSay("ws-1", "G4", "bob", "帮助")); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Handle(ctx, adminWarn("dm-1", "G4", "bob")); err != nil {
			t.Fatal(err)
		}
		var post bot.Action
		for _, a := range delivered(t, s, f) {
			if a.Kind == bot.ActAIBotSend {
				post = a
			}
		}
		for range 2 { // a retried delivery falls back once
			must(t, e.AIBotFallback(ctx, post, 93001))
		}
		if k := kinds(delivered(t, s, f)); len(k) != 1 || k[0] != bot.ActAppMessage {
			t.Errorf("after the refusal: %v, want the staff message once", k)
		}
		r, err := s.AIBotReach(ctx, "G4")
		must(t, err)
		if r.State != rules.ReachRefused || r.Code != 93001 {
			t.Errorf("reach %+v, want refused 93001", r)
		}
		clk.Advance(time.Minute)
		if _, err := e.Handle(ctx, adminWarn("dm-2", "G4", "carol")); err != nil {
			t.Fatal(err)
		}
		if k := kinds(delivered(t, s, f)); len(k) != 1 || k[0] != bot.ActAppMessage {
			t.Errorf("a post into a refused group: %v, want the staff message directly", k)
		}
		if _, err := e.Handle(ctx, wsSay("ws-2", "G4", "bob", "帮助")); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Handle(ctx, adminWarn("dm-3", "G4", "dave")); err != nil {
			t.Fatal(err)
		}
		if k := kinds(delivered(t, s, f)); len(k) != 1 || k[0] != bot.ActAIBotSend {
			t.Errorf("after a member spoke again: %v, want aibot_send", k)
		}
	})
}

func TestLateAnswerOverTheLongConnection(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		e := longConnEngine(t, s, clk)
		f := &fakeSender{}
		group := wsSay("ws-1", "G4", "bob", "排行")
		single := bot.Event{ID: "ws-2", Channel: bot.ChannelAIBotWS, Kind: bot.KindMessage, From: "carol", Text: "积分"}
		for range 2 {
			must(t, e.AnswerLate(ctx, group, "第一名 bob"))
			must(t, e.AnswerLate(ctx, single, "你有 0 分"))
		}
		got := delivered(t, s, f)
		if len(got) != 2 {
			t.Fatalf("late answers %+v, want one per message", got)
		}
		if a := got[0]; a.Kind != bot.ActAIBotSend || a.ChatID != "G4" || a.Text != "第一名 bob" {
			t.Errorf("group late answer %+v", a)
		}
		if a := got[1]; a.Kind != bot.ActAIBotSend || a.ChatID != "" || len(a.To) != 1 || a.To[0] != "carol" {
			t.Errorf("1:1 late answer %+v", a)
		}
	})
}

// The first messages of a group arriving together are all handled, and the
// group is recorded as reachable.
func TestFirstMessagesOfAGroupTogether(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		e := longConnEngine(t, s, clk)
		concurrently(t, 8, func(i int) error {
			_, err := e.Handle(ctx, wsSay(fmt.Sprintf("first-%d", i), "G4", fmt.Sprintf("u%d", i), "签到"))
			return err
		})
		r, err := s.AIBotReach(ctx, "G4")
		must(t, err)
		if r.State != rules.ReachYes {
			t.Errorf("G4 reach %+v, want reachable", r)
		}
	})
}
