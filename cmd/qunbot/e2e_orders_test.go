package main

import (
	"encoding/json"
	"net/http"
	"testing"
)

// orders reads the orders API of a group.
func (h *harness) orders(chatID, query string) []map[string]any {
	h.t.Helper()
	status, body := h.get("/api/v1/groups/" + chatID + "/orders" + query)
	if status != http.StatusOK {
		h.t.Fatalf("orders: %d %s", status, body)
	}
	var out struct{ Entries []map[string]any }
	if err := json.Unmarshal(body, &out); err != nil {
		h.t.Fatal(err)
	}
	return out.Entries
}

func TestE2EOrderListedSettledAndRefunded(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		h.say("G1", "alice", "积分") // known in the group (a command earns nothing), so points can be given
		h.say("G1", "bob", "积分")
		h.say("G1", "boss", "/givepoints alice +100")
		h.say("G1", "boss", "/givepoints bob +100")
		contains(t, h.say("G1", "alice", "兑换 咖啡券"), "兑换成功：「咖啡券」，订单 #1，消耗30积分，剩余积分70", "我的订单")
		contains(t, h.say("G1", "bob", "兑换 咖啡券"), "已经兑完了") // one in stock
		h.flush()
		if n := len(h.callsMentioning("/cgi-bin/message/send", `"touser":"owner1"`, "alice 兑换了「咖啡券」（30积分），订单 #1",
			"/orders done 1")); n != 1 {
			t.Errorf("owner notices naming order #1 = %d:%s", n, bodies(h.api.CallsTo("/cgi-bin/message/send")))
		}
		contains(t, h.say("G1", "alice", "我的订单"), "#1", "「咖啡券」30积分 · 待发放")
		pending := h.orders("G1", "?status=pending")
		if len(pending) != 1 || pending[0]["id"] != 1.0 || pending[0]["userid"] != "alice" || pending[0]["item"] != "咖啡券" ||
			pending[0]["cost"] != 30.0 || pending[0]["status"] != "pending" || pending[0]["decided_by"] != "" ||
			pending[0]["decided_at"] != nil || pending[0]["created_at"] != "2026-11-21T14:00:00+08:00" {
			t.Errorf("pending orders = %v", pending)
		}
		contains(t, h.say("G1", "bob", "/orders"), "无权限")
		contains(t, h.say("G1", "owner1", "/orders"), "本群待发放订单", "#1", "alice「咖啡券」30积分 · 待发放")

		contains(t, h.say("G1", "owner1", "/orders done 1"), "订单 #1（alice 的「咖啡券」）已标记为已发放")
		contains(t, h.say("G1", "owner1", "/orders done 1"), "不能再标记为已发放")
		if done := h.orders("G1", "?status=done"); len(done) != 1 || done[0]["decided_by"] != "owner1" ||
			done[0]["decided_at"] != "2026-11-21T14:00:00+08:00" {
			t.Errorf("done orders = %v", done)
		}
		if n := len(h.orders("G1", "?status=pending")); n != 0 {
			t.Errorf("%d pending orders after done", n)
		}

		contains(t, h.dm("owner1", "/in G1 /orders refund 1 缺货"),
			"订单 #1 已退款：alice 的30积分已退回，「咖啡券」库存已恢复，已通知本人")
		contains(t, h.say("G1", "owner1", "/orders refund 1"), "已经退款了")
		h.flush()
		if n := len(h.callsMentioning("/cgi-bin/message/send", `"touser":"alice"`, "你的订单 #1「咖啡券」已退款，30积分已退回。原因：缺货")); n != 1 {
			t.Errorf("refund notices to alice = %d:%s", n, bodies(h.api.CallsTo("/cgi-bin/message/send")))
		}
		if got := h.pointsOf("G1", "alice"); got != 100 {
			t.Errorf("alice's points after the refund = %d, want 100", got)
		}
		ledger := h.ledgerOf("G1", "alice")
		if ledger[0]["kind"] != "refund" || ledger[0]["delta"] != 30.0 || ledger[0]["actor"] != "owner1" {
			t.Errorf("newest ledger row = %v, want the refund of 30 by owner1", ledger[0])
		}
		if refunded := h.orders("G1", "?status=refunded"); len(refunded) != 1 || refunded[0]["decided_by"] != "owner1" {
			t.Errorf("refunded orders = %v", refunded)
		}
		contains(t, h.say("G1", "alice", "我的订单"), "已退款")
		// the stock is back: bob can have it now
		contains(t, h.say("G1", "bob", "兑换 咖啡券"), "兑换成功：「咖啡券」，订单 #2")
		if all := h.orders("G1", ""); len(all) != 2 || all[0]["id"] != 2.0 {
			t.Errorf("all orders = %v, want #2 then #1", all)
		}
		// a refund gives points back but never a rank: alice earned 100
		_, body := h.get("/api/v1/groups/G1/leaderboard?period=all")
		if !containsAll(string(body), `"userid":"alice","name":"alice","points":100`) {
			t.Errorf("leaderboard = %s, want alice on 100 earned", body)
		}
		contains(t, h.say("G1", "owner1", "/orders refund 9"), "本群没有订单 #9")
		contains(t, h.say("G4", "owner1", "/orders done 2"), "本群没有订单 #2")
		if status, _ := h.get("/api/v1/groups/G1/orders?status=lost"); status != http.StatusBadRequest {
			t.Errorf("orders?status=lost = %d, want 400", status)
		}
	}, withYAML(engageYAML))
}
