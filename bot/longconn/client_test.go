package longconn

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/bot/wecomtest"
)

func TestSubscribeWithTheConfiguredCredentials(t *testing.T) {
	r := newRig(t)
	if err := r.fake.WaitSubscribed(ctxT(t), 1); err != nil {
		t.Fatal(err)
	}
	subs := r.fake.Frames("aibot_subscribe")
	if len(subs) != 1 {
		t.Fatalf("%d subscribes, want 1", len(subs))
	}
	if got := subs[0].Str("bot_id") + "/" + subs[0].Str("secret"); got != testBot+"/"+testSecret {
		t.Errorf("subscribed with %q", got)
	}
	if !strings.HasPrefix(subs[0].ReqID, "aibot_subscribe_") {
		t.Errorf("req_id %q", subs[0].ReqID)
	}
	waitState(t, r.client, StateSubscribed)
}

func TestRefusedSubscribeIsRetriedWithBackOff(t *testing.T) {
	r := newRig(t, func(o *Options) { o.Secret = "wrong" })
	// 1 s, 2 s, 4 s: exponential, never under a second
	for _, d := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
		r.timers.fire(t, d)
	}
	if err := r.fake.Wait(ctxT(t), func() bool { return len(r.fake.Frames("aibot_subscribe")) >= 4 }); err != nil {
		t.Fatal(err)
	}
	if n := r.fake.Subscribes(); n != 0 {
		t.Errorf("%d subscribes accepted with a wrong secret", n)
	}
}

func TestBackoffSteps(t *testing.T) {
	none := func(time.Duration) time.Duration { return 0 }
	var got []time.Duration
	for attempt := 1; attempt <= 8; attempt++ {
		got = append(got, backoff(attempt, none))
	}
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30, 30}
	for i := range want {
		want[i] *= time.Second
	}
	if !slices.Equal(got, want) {
		t.Errorf("back-off %v, want %v", got, want)
	}
	if d := backoff(6, func(d time.Duration) time.Duration { return d - 1 }); d >= 36*time.Second || d < 30*time.Second {
		t.Errorf("jittered cap %v, want in [30s, 36s)", d)
	}
}

func TestPingsAtTheInterval(t *testing.T) {
	r := newRig(t)
	if err := r.fake.WaitSubscribed(ctxT(t), 1); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		r.timers.fire(t, testPing)
		pings, err := r.fake.WaitFrames(ctxT(t), "ping", i)
		if err != nil {
			t.Fatal(err)
		}
		if len(pings) != i {
			t.Fatalf("%d pings after %d intervals", len(pings), i)
		}
		waitAcked(t, r.client)
	}
	for _, d := range r.timers.askedFor() {
		if d != testPing {
			t.Errorf("asked to wait %s; the heartbeat is %s and nothing else waited", d, testPing)
		}
	}
	if n := r.fake.Connections(); n != 1 {
		t.Errorf("%d connections, want 1: acknowledged pings keep it", n)
	}
}

// waitAcked waits until every ping sent so far is acknowledged.
func waitAcked(t *testing.T, c *Client) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if s := c.current(); s != nil && s.missed.Load() == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("pings never acknowledged")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestDeadAfterTwoUnansweredPings(t *testing.T) {
	r := newRig(t)
	ctx := r.subscribed(t)
	r.fake.MutePings(true)
	r.timers.fire(t, testPing) // ping 1, unanswered
	r.timers.fire(t, testPing) // ping 2, unanswered
	if _, err := r.fake.WaitFrames(ctx, "ping", 2); err != nil {
		t.Fatal(err)
	}
	r.fake.MutePings(false)
	r.timers.fire(t, testPing) // two misses: the peer is dead, no third ping
	r.timers.fire(t, time.Second)
	if err := r.fake.WaitSubscribed(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if n := len(r.fake.Frames("ping")); n != 2 {
		t.Errorf("%d pings, want 2 (the third tick found two misses)", n)
	}
	if n := r.fake.Kicks(); n != 0 {
		t.Errorf("%d kicks: the dead connection was not closed before the new subscribe", n)
	}
}

func TestAnswerOnTheCallbacksReqID(t *testing.T) {
	r := newRig(t)
	ctx := r.subscribed(t)
	id, err := r.fake.Message(ctx, wecomtestMessage("m-1", "G1", "alice", "签到"))
	if err != nil {
		t.Fatal(err)
	}
	ans, err := r.fake.Answer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ans.Cmd != "aibot_respond_msg" || ans.ReqID != id {
		t.Errorf("answer %s on %s, want aibot_respond_msg on %s", ans.Cmd, ans.ReqID, id)
	}
	if ans.Str("msgtype") != "stream" || ans.Body["stream"].(map[string]any)["finish"] != true {
		t.Errorf("answer body %v, want a finished stream", ans.Body)
	}
	if got := ans.Content(); got != "echo: 签到" {
		t.Errorf("content %q", got)
	}
	if got, want := ans.Str("stream", "id"), bot.StreamID("m-1"); got != want {
		t.Errorf("stream id %q, want %q", got, want)
	}
}

func TestRedeliveredMsgIDAnsweredIdentically(t *testing.T) {
	r := newRig(t)
	ctx := r.subscribed(t)
	first, err := r.fake.Say(ctx, "dup-1", "G1", "bob", "积分")
	if err != nil {
		t.Fatal(err)
	}
	second, err := r.fake.Say(ctx, "dup-1", "G1", "bob", "积分")
	if err != nil {
		t.Fatal(err)
	}
	if first != second || first == "" {
		t.Errorf("answers %q then %q", first, second)
	}
	if n := r.decider.count("dup-1"); n != 1 {
		t.Errorf("%d effects, want one", n)
	}
}

func TestFailedDecisionIsHeldAndDecidedAgain(t *testing.T) {
	r := newRig(t)
	ctx := r.subscribed(t)
	r.decider.mu.Lock()
	r.decider.fail = 2 // the first decision and the first retry fail
	r.decider.mu.Unlock()
	if got, err := r.fake.Say(ctx, "busy-1", "G1", "bob", "积分"); err != nil || got != "echo: 积分" {
		t.Fatalf("answer %q, %v", got, err)
	}
	select {
	case <-r.late.ch:
	case <-ctx.Done():
		t.Fatal("the held message was never released")
	}
	r.late.mu.Lock()
	defer r.late.mu.Unlock()
	if len(r.late.held) != 1 || r.late.held[0] != "busy-1" || len(r.late.got) != 1 || r.late.got[0] != "busy-1=" {
		t.Errorf("held %q, late %q; want busy-1 held, then released with no post (answered on its req_id)", r.late.held, r.late.got)
	}
}

func TestMessageFailingEveryRetryStaysHeld(t *testing.T) {
	r := newRig(t)
	ctx := r.subscribed(t)
	r.decider.mu.Lock()
	r.decider.fail = 3 // the first decision and both retries
	r.decider.mu.Unlock()
	id, err := r.fake.Message(ctx, wecomtestMessage("busy-2", "G1", "bob", "积分"))
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		r.decider.mu.Lock()
		left := r.decider.fail
		r.decider.mu.Unlock()
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the message was not decided three times")
		}
	}
	r.stop() // waits for the callback's handling to end
	r.late.mu.Lock()
	defer r.late.mu.Unlock()
	if len(r.late.held) != 1 || len(r.late.got) != 0 {
		t.Errorf("held %q, late %q; want busy-2 held for the engine to finish", r.late.held, r.late.got)
	}
	if fr := r.fake.Frames("aibot_respond_msg"); len(fr) != 0 {
		t.Errorf("answered %s without a decision", id)
	}
}

func TestWelcomeAndCardUpdate(t *testing.T) {
	r := newRig(t)
	ctx := r.subscribed(t)
	id, err := r.fake.EnterChat(ctx, "e-1", "carol")
	if err != nil {
		t.Fatal(err)
	}
	ans, err := r.fake.Answer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ans.Cmd != "aibot_respond_welcome_msg" || ans.Str("msgtype") != "text" || ans.Content() != "welcome carol" {
		t.Errorf("welcome %s %v", ans.Cmd, ans.Body)
	}
	id, err = r.fake.CardClick(ctx, "c-1", "carol", "ignore:7", "task-7")
	if err != nil {
		t.Fatal(err)
	}
	ans, err = r.fake.Answer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ans.Cmd != "aibot_respond_update_msg" || ans.Str("response_type") != "update_template_card" ||
		ans.Str("template_card", "task_id") != "task-7" || ans.Content() != "clicked ignore:7" {
		t.Errorf("card update %s %v", ans.Cmd, ans.Body)
	}
}

func TestReconnectAfterADroppedSocket(t *testing.T) {
	r := newRig(t)
	ctx := r.subscribed(t)
	if err := r.fake.Drop(); err != nil {
		t.Fatal(err)
	}
	r.timers.fire(t, time.Second)
	if err := r.fake.WaitSubscribed(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if got, err := r.fake.Say(ctx, "after-drop", "G1", "bob", "hi"); err != nil || got != "echo: hi" {
		t.Errorf("after reconnecting: %q, %v", got, err)
	}
}

func TestNoReconnectAfterDisconnectedEvent(t *testing.T) {
	r := newRig(t)
	ctx := r.subscribed(t)
	if err := r.client.Check(ctx); err != nil {
		t.Errorf("ready while subscribed: %v", err)
	}
	if err := r.fake.Disconnect(); err != nil {
		t.Fatal(err)
	}
	waitState(t, r.client, StateTakenOver)
	if err := r.client.Check(ctx); err == nil || !strings.Contains(err.Error(), "disconnected_event") {
		t.Errorf("Check = %v, want the take-over named", err)
	}
	if !r.client.Delivers() {
		t.Error("a taken-over client must settle its sends (by falling back)")
	}
	r.stop()
	if n := r.fake.Connections(); n != 1 {
		t.Errorf("%d connections, want 1: no reconnect after disconnected_event", n)
	}
	for _, d := range r.timers.askedFor() {
		if d != testPing {
			t.Errorf("waited %s for a reconnect", d)
		}
	}
}

func TestAnswerAfterReconnectGoesBySend(t *testing.T) {
	r := newRig(t)
	ctx := r.subscribed(t)
	hold := r.holdDecisions()
	if _, err := r.fake.Message(ctx, wecomtestMessage("slow-1", "G1", "bob", "排行")); err != nil {
		t.Fatal(err)
	}
	if err := r.fake.Drop(); err != nil {
		t.Fatal(err)
	}
	r.timers.fire(t, time.Second)
	if err := r.fake.WaitSubscribed(ctx, 2); err != nil {
		t.Fatal(err)
	}
	close(hold)
	select {
	case <-r.late.ch:
	case <-ctx.Done():
		t.Fatal("the answer whose connection died was not queued for aibot_send_msg")
	}
	r.late.mu.Lock()
	defer r.late.mu.Unlock()
	if want := "slow-1=echo: 排行"; len(r.late.got) != 1 || r.late.got[0] != want {
		t.Errorf("late answers %q, want [%q]", r.late.got, want)
	}
}

func TestSlowDecisionDoesNotBlockTheHeartbeat(t *testing.T) {
	r := newRig(t)
	ctx := r.subscribed(t)
	hold := r.holdDecisions()
	defer close(hold)
	if _, err := r.fake.Message(ctx, wecomtestMessage("slow-2", "G1", "bob", "hi")); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		r.timers.fire(t, testPing)
		if _, err := r.fake.WaitFrames(ctx, "ping", i); err != nil {
			t.Fatal(err)
		}
		waitAcked(t, r.client)
	}
	if n := r.fake.Connections(); n != 1 {
		t.Errorf("%d connections: the heartbeat stalled behind a decision", n)
	}
}

func TestSendIntoAGroup(t *testing.T) {
	r := newRig(t)
	ctx := ctxT(t)
	post := bot.Action{Kind: bot.ActAIBotSend, ChatID: "G4", Text: "欢迎 **Dave**"}
	if err := r.client.Send(ctx, post); !errors.Is(err, ErrNotConnected) && r.client.current() == nil {
		t.Errorf("send before subscribing = %v, want ErrNotConnected", err)
	}
	if err := r.fake.WaitSubscribed(ctx, 1); err != nil {
		t.Fatal(err)
	}
	waitState(t, r.client, StateSubscribed)
	err := r.client.Send(ctx, post)
	if code, refused := Refused(err); !refused || code != 93006 {
		t.Fatalf("send to a chat nobody spoke in = %v, want refused 93006", err)
	}
	if _, err := r.fake.Say(ctx, "g4-1", "G4", "dave", "hi"); err != nil {
		t.Fatal(err)
	}
	if err := r.client.Send(ctx, post); err != nil {
		t.Fatalf("send after a member spoke: %v", err)
	}
	sends := r.fake.Frames("aibot_send_msg")
	last := sends[len(sends)-1]
	if last.Str("chatid") != "G4" || last.Body["chat_type"] != float64(2) || last.Str("msgtype") != "markdown" ||
		last.Content() != "欢迎 **Dave**" {
		t.Errorf("send frame %v", last.Body)
	}
	r.fake.Refuse("G4", 93001)
	if code, refused := Refused(r.client.Send(ctx, post)); !refused || code != 93001 {
		t.Errorf("refused chat: code %d refused %v", code, refused)
	}
	if err := r.client.Send(ctx, bot.Action{Kind: bot.ActAIBotSend, To: []string{"dave"}, Text: "hi"}); err == nil {
		t.Error("a 1:1 send to someone who never spoke to the bot succeeded")
	}
	if got := r.fake.Frames("aibot_send_msg"); got[len(got)-1].Body["chat_type"] != float64(1) {
		t.Errorf("1:1 send chat_type %v, want 1", got[len(got)-1].Body["chat_type"])
	}
}

func wecomtestMessage(id, chat, from, text string) wecomtest.WSMessage {
	return wecomtest.WSMessage{MsgID: id, ChatID: chat, From: from, Text: text}
}
