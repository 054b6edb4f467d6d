package store_test

import (
	"strings"
	"testing"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/store"
)

func rulesAction(chatID string) bot.Action {
	return bot.Action{Kind: bot.ActAppChatSend, ChatID: chatID, Text: "hi"}
}

func TestEnqueue(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		secret := "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
		must(t, s.Enqueue(ctx, t0,
			bot.Action{Kind: bot.ActReply, Text: "passive"},
			bot.Action{Kind: bot.ActWebhookSend, WebhookKey: secret, Text: "早上好"},
			bot.Action{Kind: bot.ActAppChatRemove, ChatID: "G1", Users: []string{"x"}},
			bot.Action{Kind: bot.ActAppMessage, To: []string{"bob", "alice", "bob"}, Text: "hi"},
			rulesAction("G1"),
		))
		must(t, s.Enqueue(ctx, t0)) // nothing to do
		rows, err := s.OutboxEntries(ctx, "", 0)
		must(t, err)
		type kr struct{ kind, key string }
		var got []kr
		for _, r := range rows {
			got = append(got, kr{r.Kind, r.RateKey})
			if r.Status != "pending" || !r.NextAttemptAt.Equal(t0) || r.Attempts != 0 {
				t.Errorf("new row %+v: want pending, due at t0, 0 attempts", r)
			}
			if strings.Contains(r.RateKey, secret) {
				t.Errorf("rate key %q contains the webhook key", r.RateKey)
			}
		}
		want := []kr{{"webhook_send", "webhook:"}, {"appchat_remove", "appchat_update"},
			{"app_message", "message:alice,bob"}, {"appchat_send", ""}}
		if len(got) != len(want) {
			t.Fatalf("outbox rows = %v, want %v", got, want)
		}
		for i := range want {
			if got[i].kind != want[i].kind || !strings.HasPrefix(got[i].key, want[i].key) ||
				(want[i].key == "webhook:" && len(got[i].key) != len("webhook:")+16) {
				t.Errorf("row %d = %v, want %v", i, got[i], want[i])
			}
		}
		pending, failed, err := s.OutboxDepth(ctx)
		must(t, err)
		if pending != 4 || failed != 0 {
			t.Errorf("OutboxDepth() = %d, %d; want 4, 0", pending, failed)
		}
	})
}
