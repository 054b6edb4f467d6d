package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

func TestSchedulesAndSchedulerPass(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		id1, err := s.AddSchedule(ctx, rules.Schedule{ChatID: "G1", Spec: "0 20 * * 5", Text: "周五话题 {group}", CreatedBy: "boss", CreatedAt: t0})
		must(t, err)
		_, err = s.AddSchedule(ctx, rules.Schedule{ChatID: "G2", Spec: "0 9 * * *", Text: "早", CreatedBy: "boss", CreatedAt: t0})
		must(t, err)
		g1, err := s.Schedules(ctx, "G1")
		must(t, err)
		all, err := s.Schedules(ctx, "")
		must(t, err)
		want := rules.Schedule{ID: id1, ChatID: "G1", Spec: "0 20 * * 5", Text: "周五话题 {group}", CreatedBy: "boss", CreatedAt: t0}
		if len(g1) != 1 || g1[0] != want || len(all) != 2 {
			t.Errorf("G1's = %+v, all = %d; want %+v and 2", g1, len(all), want)
		}
		if got, err := s.Schedule(ctx, id1); err != nil || got != want {
			t.Errorf("Schedule(%d) = %+v %v", id1, got, err)
		}
		if _, err := s.Schedule(ctx, 999); !errors.Is(err, rules.ErrNotFound) {
			t.Errorf("Schedule(999) err = %v, want ErrNotFound", err)
		}
		if ok, err := s.DelSchedule(ctx, "G2", id1); err != nil || ok {
			t.Errorf("another group deleted it: %v %v", ok, err)
		}
		if ok, err := s.DelSchedule(ctx, "G1", id1); err != nil || !ok {
			t.Errorf("DelSchedule = %v %v", ok, err)
		}

		if _, ok, err := s.LastSchedulerPass(ctx); err != nil || ok {
			t.Errorf("a pass before any: %v %v", ok, err)
		}
		must(t, s.SetSchedulerPass(ctx, t0))
		must(t, s.SetSchedulerPass(ctx, t0.Add(time.Minute)))
		if at, ok, err := s.LastSchedulerPass(ctx); err != nil || !ok || !at.Equal(t0.Add(time.Minute)) {
			t.Errorf("last pass = %v %v %v, want %v", at, ok, err, t0.Add(time.Minute))
		}
	})
}

// order records a redemption of item by user the way the shop does.
func order(t *testing.T, s *store.Store, user, item string, cost int) int64 {
	t.Helper()
	var id int64
	must(t, s.Atomic(ctx, func(tx rules.Tx) error {
		if _, _, err := tx.ShopUsage(ctx, "G1", item, user); err != nil {
			return err
		}
		var err error
		id, err = tx.AddOrder(ctx, rules.Order{ChatID: "G1", UserID: user, Item: item, Cost: cost, EventID: fmt.Sprint("e-", user, item, cost), At: t0})
		return err
	}))
	return id
}

func TestOrderStatesAndStock(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		a := order(t, s, "alice", "咖啡券", 30)
		b := order(t, s, "bob", "咖啡券", 30)
		if got, err := s.Order(ctx, a); err != nil || got.Status != rules.OrderPending || got.DecidedAt != nil || got.Cost != 30 {
			t.Errorf("new order = %+v %v", got, err)
		}
		settle := func(id int64, from []string, to string) bool {
			ok, err := s.SettleOrder(ctx, id, from, to, "boss", "缺货", t0.Add(time.Hour))
			must(t, err)
			return ok
		}
		if !settle(a, []string{rules.OrderPending}, rules.OrderDone) || settle(a, []string{rules.OrderPending}, rules.OrderDone) {
			t.Error("done twice, or not at all")
		}
		if !settle(a, []string{rules.OrderPending, rules.OrderDone}, rules.OrderRefunded) {
			t.Error("a done order could not be refunded")
		}
		got, err := s.Order(ctx, a)
		must(t, err)
		if got.Status != rules.OrderRefunded || got.DecidedBy != "boss" || got.Reason != "缺货" || !got.DecidedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("refunded order = %+v", got)
		}
		list, err := s.Orders(ctx, "G1", rules.OrderQuery{Status: rules.OrderPending, Limit: 10})
		must(t, err)
		if len(list) != 1 || list[0].ID != b {
			t.Errorf("pending = %+v, want bob's", list)
		}
		mine, err := s.Orders(ctx, "G1", rules.OrderQuery{UserID: "alice", Limit: 10})
		must(t, err)
		if len(mine) != 1 || mine[0].ID != a {
			t.Errorf("alice's = %+v", mine)
		}
		must(t, s.ReturnStock(ctx, "G1", "咖啡券", "alice"))
		must(t, s.ReturnStock(ctx, "G1", "咖啡券", "alice")) // never below zero
		sold, hers, err := s.ShopUsage(ctx, "G1", "咖啡券", "alice")
		must(t, err)
		if sold != 0 || hers != 0 {
			t.Errorf("after returns: sold %d, alice %d; want 0, 0 (two returns of two orders)", sold, hers)
		}
	})
}

func TestRefundsRaceOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		e := newEngine(t, s, clk.Now, map[string]string{"owner": "boss", "shop": "贴纸:30:1", "message.points": "0"})
		must(t, s.TouchMember(ctx, "G1", "alice", t0))
		_, err := e.Handle(ctx, say("grant", "boss", "/givepoints alice +100"))
		must(t, err)
		_, err = e.Handle(ctx, say("buy", "alice", "兑换 贴纸"))
		must(t, err)
		concurrently(t, 6, func(i int) error {
			_, err := e.Handle(ctx, say(fmt.Sprint("refund-", i), "boss", "/orders refund 1 重复点击"))
			return err
		})
		rows, err := s.Entries(ctx, "G1", "alice", 100)
		must(t, err)
		refunds := 0
		for _, r := range rows {
			if r.Kind == rules.LedgerRefund {
				refunds++
			}
		}
		sold, _, err := s.ShopUsage(ctx, "G1", "贴纸", "alice")
		must(t, err)
		if bal, _ := s.Balance(ctx, "G1", "alice"); refunds != 1 || bal != 100 || sold != 0 {
			t.Errorf("six racing refunds: %d refund rows, balance %d, sold %d; want 1, 100, 0", refunds, bal, sold)
		}
		checkLedgerSums(t, s, "alice")
	})
}

func TestRosterPage(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		e := newEngine(t, s, clk.Now, map[string]string{"owner": "boss", "message.points": "0"})
		for i, u := range []string{"carol", "alice", "bob"} {
			_, err := e.Handle(ctx, say(fmt.Sprint("hi-", i), u, "大家好"))
			must(t, err)
		}
		clk.Advance(time.Hour)
		for i, text := range []string{"签到", "第二句", "/givepoints bob +7"} {
			from := "alice"
			if i == 2 {
				from = "boss"
			}
			_, err := e.Handle(ctx, say(fmt.Sprint("more-", i), from, text))
			must(t, err)
		}
		must(t, s.AddViolation(ctx, rules.Violation{ChatID: "G1", UserID: "bob", Kind: "flood", At: clk.Now()}))
		must(t, s.AddViolation(ctx, rules.Violation{ChatID: "G1", UserID: "bob", Kind: "flood", At: clk.Now().Add(-40 * 24 * time.Hour)}))
		q := rules.RosterQuery{Limit: 2, Today: "2026-11-21", RecentFrom: "2026-11-15", WarnSince: clk.Now().Add(-30 * 24 * time.Hour)}
		page, err := s.RosterPage(ctx, "G1", q)
		must(t, err)
		if len(page) != 2 || page[0].UserID != "alice" || page[1].UserID != "bob" {
			t.Fatalf("first page = %+v", page)
		}
		a, b := page[0], page[1]
		if a.Balance != 5 || a.Earned != 5 || a.LastCheckin.Day != "2026-11-21" || a.LastCheckin.Streak != 1 ||
			a.Recent != 3 || a.LastDay != "2026-11-21" || a.LastMessageAt == nil || !a.LastMessageAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("alice = %+v (last message %v)", a, a.LastMessageAt)
		}
		if b.Balance != 7 || b.Warnings != 1 || b.Recent != 1 || !b.LastMessageAt.Equal(t0) || b.LastCheckin.Day != "" {
			t.Errorf("bob = %+v", b)
		}
		q.After = b.UserID
		rest, err := s.RosterPage(ctx, "G1", q)
		must(t, err)
		if len(rest) != 2 || rest[0].UserID != "boss" || rest[1].UserID != "carol" || rest[0].LastMessageAt != nil {
			t.Errorf("second page = %+v (boss only ran a staff command)", rest)
		}
		one, err := s.RosterPage(ctx, "G1", rules.RosterQuery{UserID: "carol", Limit: 1, Today: "2026-11-21"})
		must(t, err)
		if len(one) != 1 || one[0].UserID != "carol" {
			t.Errorf("one member = %+v", one)
		}
	})
}

func TestQuietMembersAndActivity(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		e := newEngine(t, s, clk.Now, map[string]string{"message.points": "0"})
		speak := func(u string, n int) {
			for i := range n {
				_, err := e.Handle(ctx, say(fmt.Sprint(u, clk.Now().Unix(), i), u, fmt.Sprint("话 ", i)))
				must(t, err)
			}
		}
		speak("alice", 1)
		speak("bob", 1)
		speak("carol", 1)
		speak("dave", 1)
		clk.Advance(10 * 24 * time.Hour) // 12-01
		speak("alice", 3)
		speak("bob", 2)
		q := rules.QuietQuery{From: "2026-11-25", To: "2026-12-01", JoinedBefore: t0.Add(time.Hour), Fewer: 3,
			Except: []string{"dave"}, Limit: 1}
		list, total, err := s.QuietMembers(ctx, "G1", q)
		must(t, err)
		if total != 2 || len(list) != 1 || list[0].UserID != "bob" || list[0].Messages != 2 || list[0].LastDay != "2026-12-01" {
			t.Errorf("quiet = %+v of %d, want bob (2 messages) first of 2", list, total)
		}
		q.Limit, q.JoinedBefore = 10, t0 // nobody joined before t0
		if _, total, err := s.QuietMembers(ctx, "G1", q); err != nil || total != 0 {
			t.Errorf("joined before t0: %d, %v", total, err)
		}

		// activity as of a past day reads the bits back from the latest
		got := map[string]rules.MemberActivity{}
		must(t, s.EachActivity(ctx, "G1", "2026-11-30", "2026-11-24", func(m rules.MemberActivity) { got[m.UserID] = m }))
		if len(got) != 4 || got["alice"].LastDay != "2026-11-21" || got["alice"].Recent != 0 || got["alice"].JoinedAt == nil {
			t.Errorf("as of 11-30: %+v", got)
		}
		must(t, s.EachActivity(ctx, "G1", "2026-12-01", "2026-11-25", func(m rules.MemberActivity) { got[m.UserID] = m }))
		if got["alice"].LastDay != "2026-12-01" || got["alice"].Recent != 3 || got["carol"].LastDay != "2026-11-21" {
			t.Errorf("as of 12-01: %+v", got)
		}
	})
}

// TestSegmentCountsAgreeWithTheMemberList: the store's counts for today
// (one statement) and the member list's segments (one member at a time) are
// the same definition.
func TestSegmentCountsAgreeWithTheMemberList(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		e := newEngine(t, s, clk.Now, map[string]string{"message.points": "0", "violation.flood": "0/10s",
			"violation.repeat": "0/60s"})
		n := 0
		speak := func(u string, times int) {
			for range times {
				n++
				_, err := e.Handle(ctx, say(fmt.Sprint("m", n), u, fmt.Sprint("第 ", n, " 句")))
				must(t, err)
			}
		}
		join := func(users ...string) {
			n++
			_, err := e.Handle(ctx, bot.Event{ID: fmt.Sprint("j", n), Channel: bot.ChannelApp, Kind: bot.KindMemberJoin,
				ChatID: "G1", From: "sys", At: clk.Now(), Member: bot.MemberChange{UpdateDetail: "add_member", UserIDs: users}})
			must(t, err)
		}
		dayN := func(d int) { clk.t = t0.AddDate(0, 0, d) }
		join("old")
		speak("quiet90", 1)
		dayN(60)
		speak("silent40", 1)
		join("newish40")
		dayN(90)
		speak("pot10", 3)
		dayN(98)
		join("fresh")
		dayN(100)
		speak("hv", 21)
		speak("gone", 1)
		n++
		_, err := e.Handle(ctx, bot.Event{ID: "leave", Channel: bot.ChannelApp, Kind: bot.KindMemberLeave, ChatID: "G1",
			From: "sys", At: clk.Now(), Member: bot.MemberChange{UpdateDetail: "del_member", UserIDs: []string{"gone"}}})
		must(t, err)

		st, err := e.Stats(ctx, "G1", 7)
		must(t, err)
		var listed rules.Segments
		bySegment := map[string][]string{}
		must(t, e.Members(ctx, "G1", rules.MemberFilter{}, func(v rules.MemberView) error {
			bySegment[v.Segment] = append(bySegment[v.Segment], v.UserID)
			if v.LeftAt == nil {
				switch v.Segment {
				case rules.SegmentHighValue:
					listed.HighValue++
				case rules.SegmentPotential:
					listed.Potential++
				case rules.SegmentSilent:
					listed.Silent++
				case rules.SegmentChurned:
					listed.Churned++
				}
			}
			return nil
		}))
		listed.Churned += st.Left
		want := rules.Segments{HighValue: 1, Potential: 2, Silent: 2, Churned: 3}
		if st.Segments != want || listed != want {
			t.Errorf("stats %+v, member list %+v (%v); want %+v", st.Segments, listed, bySegment, want)
		}
	})
}
