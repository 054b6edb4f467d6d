package main

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/archive"
	"github.com/qunbot/qunbot/rules"
)

// Full traffic end to end (INTERFACE.md section 9): plain messages, said
// without @-mentioning the bot, reach qunbot only through the (fake)
// archive after msgaudit_notify; they earn points and run the ladder to
// removal in an appchat group, and the notices are posted, never replied.
func TestArchivedMessagesEarnAndRunTheLadder(t *testing.T) {
	eachBackend(t, testArchivedMessagesEarnAndRunTheLadder, withArchive())
}

func testArchivedMessagesEarnAndRunTheLadder(t *testing.T, h *harness) {
	h.api.SetGroup(bot.GroupInfo{ChatID: "G2", Owner: "owner1", Members: []bot.GroupMember{{UserID: "owner1"}, {UserID: "bob"}}})
	contains(t, h.say("G2", "owner1", "/banword add 加微信"), "已添加")
	h.sayArchived("G2", "bob", "大家好")
	h.sayArchived("G2", "bob", "今天的会几点开始？")
	if got := h.pointsOf("G2", "bob"); got != 2 {
		t.Fatalf("bob has %d points after two archived messages, want 2", got)
	}
	h.sayArchived("G2", "bob", "有需要的加微信")
	h.sayArchived("G2", "bob", "加 微 信 送礼品")
	h.advance(11 * time.Minute)
	evidence := h.archived("G2", "bob", "ＶＸ加微信")
	if n := h.pull(); n != 1 {
		t.Fatalf("pulled %d records, want 1", n)
	}
	h.flush()
	if got, want := modActions(h.modlog("G2")), []string{"warn", "mute", "remove"}; !slices.Equal(got, want) {
		t.Fatalf("modlog = %v, want %v", got, want)
	}
	calls := h.api.CallsTo("/cgi-bin/appchat/update")
	if len(calls) != 1 || !slices.Equal(strs(calls[0].JSON()["del_user_list"]), []string{"bob"}) {
		t.Fatalf("appchat/update calls = %v, want one removing bob", calls)
	}
	for _, want := range []string{"累计警告1/3", "禁言10分钟", "已移出群聊"} {
		if n := len(h.callsMentioning("/cgi-bin/appchat/send", "@", want)); n != 1 {
			t.Errorf("%d appchat/send notices saying %q, want 1 (posted, since there is no message to answer)", n, want)
		}
	}
	if got := h.pointsOf("G2", "bob"); got != 2 {
		t.Errorf("bob has %d points, want 2: offending messages earn nothing", got)
	}
	// A pull with nothing new changes nothing; the records are not handled twice.
	if n := h.pull(); n != 0 {
		t.Errorf("a second pull handled %d records", n)
	}
	// The member takes the last message back: it leaves the evidence.
	if _, err := h.archive.Recall("G2", "bob", evidence, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.pull()
	if e := h.modlog("G2")[0]; e.Action != "remove" || e.Evidence != rules.RecalledEvidence {
		t.Errorf("after the recall the removal's evidence is %q, want %q", e.Evidence, rules.RecalledEvidence)
	}
	if e := h.modlog("G2")[1]; e.Evidence != "加 微 信 送礼品" {
		t.Errorf("a message not recalled lost its evidence: %+v", e)
	}
	h.checkLedger()
}

// A message that @-mentions the bot reaches qunbot twice, as a callback and
// as an archive record: it counts once whichever comes first.
func TestMessageSeenBothWaysCountsOnce(t *testing.T) {
	eachBackend(t, testMessageSeenBothWaysCountsOnce, withArchive())
}

func testMessageSeenBothWaysCountsOnce(t *testing.T, h *harness) {
	// The callback first, then its archive copy (WeCom keeps the @ in the text).
	h.say("G1", "alice", "你好呀  大家")
	h.archived("G1", "alice", "@智能助手\u2005你好呀 大家")
	h.pull()
	// The same text again, said without the @ a few minutes later: a
	// different message, counted.
	h.advance(5 * time.Minute)
	h.sayArchived("G1", "alice", "你好呀 大家")
	if got := h.pointsOf("G1", "alice"); got != 2 {
		t.Errorf("alice has %d points, want 2 (one message seen both ways, one only archived)", got)
	}
	// The archive copy first (the callback retried late), then the callback:
	// the command runs once, the message is counted once.
	h.archived("G1", "bob", "@智能助手 签到")
	h.pull()
	if got := h.pointsOf("G1", "bob"); got != 0 {
		t.Fatalf("an archived command earned %d points", got)
	}
	contains(t, h.say("G1", "bob", "签到"), "签到成功")
	if got := h.pointsOf("G1", "bob"); got != 5 {
		t.Errorf("bob has %d points after 签到, want 5", got)
	}
	// A flood of identical archived messages is not swallowed by the match.
	for range 3 {
		h.archived("G1", "carol", "顶")
		h.advance(61 * time.Second)
	}
	h.pull()
	if got := h.pointsOf("G1", "carol"); got != 3 {
		t.Errorf("carol has %d points after three archived messages, want 3", got)
	}
	st := h.statsBody("G1", "?days=1")
	if got := st["messages"].(float64); got != 6 {
		t.Errorf("stats count %v messages, want 6 (alice 2, bob 1, carol 3)", got)
	}
	reply := h.say("G1", "owner1", "/stats")
	if strings.Contains(reply, "只计机器人收到的消息") {
		t.Errorf("/stats still says it counts only what the bot sees: %q", reply)
	}
	h.checkLedger()
}

// Private chats and the bot's own messages in the archive are skipped.
func TestArchiveSkipsPrivateChatsAndBots(t *testing.T) {
	h := newHarness(t, withArchive(), withEnv("QUNBOT_ARCHIVE_BOT_IDS", "qunbot-bot"))
	h.archived("", "alice", "私聊内容")
	h.archived("G1", "qunbot-bot", "机器人自己的话")
	h.archived("G1", "wbRobot", "群机器人的话")
	h.pull()
	for _, id := range []string{"qunbot-bot", "wbRobot"} {
		if status, body := h.get("/api/v1/groups/G1/members/" + id); status != 404 {
			t.Errorf("%s became a member: %d %s", id, status, body)
		}
	}
	if got := h.statsBody("G1", "?days=1")["messages"].(float64); got != 0 {
		t.Errorf("%v messages counted, want 0", got)
	}
}

// Two replicas never pull at once: while another holds the pull lease (in
// Redis, shared by every replica), this one's pull does nothing.
func TestOneReplicaPullsAtATime(t *testing.T) {
	eachBackend(t, testOneReplicaPullsAtATime, withArchive())
}

func testOneReplicaPullsAtATime(t *testing.T, h *harness) {
	ctx := context.Background()
	other := h.app.store.Lease("archive") // another replica's claim on the same lease
	if ok, err := other.Acquire(ctx, time.Minute); err != nil || !ok {
		t.Fatalf("the other replica could not take the lease: %v %v", ok, err)
	}
	h.archived("G1", "alice", "有人在吗")
	if n, err := h.app.puller.Pull(ctx); !errors.Is(err, archive.ErrBusy) || n != 0 {
		t.Fatalf("Pull while another replica pulls = %d, %v; want ErrBusy", n, err)
	}
	if cursor, _ := h.app.store.ArchiveCursor(ctx); cursor != 0 {
		t.Errorf("the cursor moved to %d", cursor)
	}
	if err := other.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := h.app.puller.Pull(ctx); err != nil || n != 1 {
		t.Fatalf("Pull after the release = %d, %v; want 1", n, err)
	}
	if got := h.pointsOf("G1", "alice"); got != 1 {
		t.Errorf("alice has %d points, want 1", got)
	}
}

// In an internal group with no webhook key the bot cannot post: an archived
// violation's notice goes to the owner and admins by app message.
func TestArchivedViolationNoticeGoesToStaff(t *testing.T) {
	h := newHarness(t, withArchive())
	contains(t, h.say("G4", "owner1", "/banword add 加微信"), "已添加")
	h.sayArchived("G4", "bob", "加微信领红包")
	h.flush()
	sent := h.callsMentioning("/cgi-bin/message/send", "@", "违禁词「加微信」", "累计警告1/3")
	if len(sent) != 1 || !strings.Contains(sent[0].JSON()["touser"].(string), "owner1") {
		t.Fatalf("message/send notices to staff: %v", sent)
	}
	if n := len(h.api.CallsTo("/cgi-bin/appchat/send")) + len(h.api.CallsTo("/cgi-bin/webhook/send")); n != 0 {
		t.Errorf("%d posts into the group, which the bot cannot post into", n)
	}
}

// The match has a window: an archive copy more than two minutes from the
// callback is another message, counted on its own.
func TestMatchWindow(t *testing.T) {
	h := newHarness(t, withArchive())
	h.say("G1", "alice", "收到")
	h.advance(rules.MatchWindow + time.Minute)
	h.archived("G1", "alice", "@智能助手 收到")
	h.pull()
	if got := h.statsBody("G1", "?days=1")["messages"].(float64); got != 2 {
		t.Errorf("%v messages counted, want 2", got)
	}
}
