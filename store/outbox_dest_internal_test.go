package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/rules"
)

func TestDestinations(t *testing.T) {
	long := strings.Repeat("c", 200)
	tests := []struct {
		a    bot.Action
		want string
	}{
		{bot.Action{Kind: bot.ActWebhookSend, WebhookKey: "secret"}, "webhook:" + shortHash("secret")},
		{bot.Action{Kind: bot.ActAppMessage, To: []string{"bob", "alice", "bob"}}, "message:alice,bob"},
		{bot.Action{Kind: bot.ActRemovalCard, To: []string{"alice"}}, "message:alice"},
		{bot.Action{Kind: bot.ActAppChatSend, ChatID: "G2"}, "appchat:G2"},
		{bot.Action{Kind: bot.ActAppChatRemove, ChatID: "G2", Users: []string{"x"}}, "appchat:G2"},
		{bot.Action{Kind: bot.ActAppChatSend, ChatID: long}, "appchat:sha:" + shortHash(long)},
		{bot.Action{Kind: bot.ActFetchGroup, ChatID: "G3"}, "group:G3"},
		{bot.Action{Kind: bot.ActResponseURL, URL: "https://x/r?code=1"}, "response:" + shortHash("https://x/r?code=1")},
		{bot.Action{Kind: bot.ActFetchUser, Users: []string{"b", "a"}}, "user:" + shortHash("a,b")},
		{bot.Action{Kind: bot.ActWelcomeTemplate, Text: "hi"}, "welcome_template"},
	}
	for _, tt := range tests {
		if got := destination(tt.a); got != tt.want || len(got) > 191 {
			t.Errorf("destination(%s) = %q, want %q", tt.a.Kind, got, tt.want)
		}
	}
}

// A database from before the destination column keeps its rows: they get
// the empty destination, are still due, and share one lane.
func TestOutboxDestinationUpgrade(t *testing.T) {
	ctx := context.Background()
	o := Options{DataDir: t.TempDir()}
	saved := registry
	registry = slices.DeleteFunc(slices.Clone(saved), func(m Migration) bool { return m.Version >= 650 })
	old, err := Open(ctx, o)
	registry = saved
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	err = old.q(ctx).Exec(`INSERT INTO outbox (kind, payload, rate_key, status, attempts, next_attempt_at,
		lease_owner, last_error, created_at, updated_at) VALUES (?, ?, '', ?, 0, ?, '', '', ?, ?)`,
		"appchat_send", `{"kind":"appchat_send","chat_id":"G1","text":"hi"}`, statusPending,
		dbTime(now), dbTime(now), dbTime(now)).Error
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Enqueue(ctx, now, bot.Action{Kind: bot.ActAppChatSend, ChatID: "G2", Text: "hi"}); err != nil {
		t.Fatal(err)
	}
	due, err := s.dueOutbox(ctx, now.Add(time.Second), 10, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []dueRow{{ID: 1, Dest: ""}, {ID: 2, Dest: "appchat:G2"}}; !slices.Equal(due, want) {
		t.Errorf("due rows %+v, want %+v", due, want)
	}
	if due, err = s.dueOutbox(ctx, now.Add(time.Second), 10, nil, []string{""}); err != nil || len(due) != 1 || due[0].ID != 2 {
		t.Errorf("due rows skipping the empty destination: %+v, %v", due, err)
	}
}

// Rows a group commit writes carry their destinations like Enqueue's.
func TestGroupCommitWritesDestinations(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now().UTC()
	err = s.Commit(ctx, &rules.Journal{EventID: "evt-1", At: now, Outbox: []bot.Action{
		{Kind: bot.ActAppChatSend, ChatID: "G2", Text: "hi"},
		{Kind: bot.ActFetchUser, Users: []string{"alice"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	due, err := s.dueOutbox(ctx, now.Add(time.Second), 10, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var dests []string
	for _, r := range due {
		dests = append(dests, r.Dest)
	}
	if want := []string{"appchat:G2", "user:" + shortHash("alice")}; !slices.Equal(dests, want) {
		t.Errorf("destinations %q, want %q", dests, want)
	}
}
