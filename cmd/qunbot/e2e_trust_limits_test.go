package main

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/qunbot/qunbot/bot/wecomtest"
	"github.com/qunbot/qunbot/config"
)

// TestOverlongInputIsRefusedOnEveryStore: every stored text has a limit
// checked before the turn, the same on SQLite and MySQL: an over-long
// command argument is a clear reply and records nothing, an over-long
// callback field is a 400, and evidence is kept truncated with a marker.
func TestOverlongInputIsRefusedOnEveryStore(t *testing.T) {
	eachBackend(t, testOverlongInput)
}

func testOverlongInput(t *testing.T, h *harness) {
	h.say("G1", "bob", "帮助")                                     // bob is a member; a command earns nothing
	huge := func(n int) string { return strings.Repeat("长", n) } // 3 bytes each in UTF-8
	cases := []struct{ name, cmd string }{
		{"welcome of 120 KB", "/welcome " + huge(40000)},
		{"warn reason of 180 KB", "/warn bob " + huge(60000)},
		{"mute reason", "/mute bob 1h " + huge(20000)},
		{"givepoints reason", "/givepoints bob +1 " + huge(2000)},
		{"reply text", "/reply add 价格 => " + huge(20000)},
		{"rules", "/config rules " + huge(30000)},
		{"group name", "/config name " + huge(200)},
		{"quiz question", "/config welcome.quiz.question " + huge(5000)},
	}
	for _, c := range cases {
		got := h.say("G1", "owner1", c.cmd)
		if !strings.Contains(got, "太长") || !strings.Contains(got, "上限") {
			t.Errorf("%s: reply %.80q, want a clear too-long reply", c.name, got)
		}
	}
	contains(t, h.say("G1", "owner1", "/welcome"), "欢迎 {name} 加入{group}")
	contains(t, h.say("G1", "owner1", "/reply list"), "还没有自动回复")
	if rows := h.modlog("G1"); len(rows) != 0 {
		t.Errorf("modlog after refused commands = %d rows, want none", len(rows))
	}
	if l := h.ledgerOf("G1", "bob"); len(l) != 0 {
		t.Errorf("bob's ledger = %v, want none", l)
	}

	// A member's long message that breaks a rule is evidence: kept, cut short.
	h.say("G1", "owner1", "/banword add 刷单")
	contains(t, h.say("G1", "bob", "刷单"+huge(60000)), "警告1/3")
	rows := h.modlog("G1")
	if len(rows) != 1 {
		t.Fatalf("modlog = %d rows, want the warning", len(rows))
	}
	ev := rows[0].Evidence
	if n := utf8.RuneCountInString(ev); n > 2100 || !strings.HasPrefix(ev, "刷单长") || !strings.HasSuffix(ev, "（已截断）") {
		t.Errorf("evidence = %d characters ending %q, want it cut with a marker", n, ev[max(0, len(ev)-30):])
	}

	// Callback fields that would not fit their columns are the sender's fault.
	ctx := context.Background()
	bad := []struct {
		name string
		send func() (wecomtest.Reply, error)
	}{
		{"msgid of 300 characters", func() (wecomtest.Reply, error) {
			return h.send.AIBotText(ctx, strings.Repeat("m", 300), "G1", "bob", "签到")
		}},
		{"chatid of 100 characters", func() (wecomtest.Reply, error) {
			return h.send.AIBotText(ctx, h.nextID("msg"), strings.Repeat("c", 100), "bob", "签到")
		}},
		{"userid of 100 characters", func() (wecomtest.Reply, error) {
			return h.send.AIBotText(ctx, h.nextID("msg"), "G1", strings.Repeat("u", 100), "签到")
		}},
		{"app MsgId of 300 characters", func() (wecomtest.Reply, error) {
			return h.send.AppText(ctx, strings.Repeat("9", 300), "bob", "帮助")
		}},
		{"CurMemVer of 300 characters", func() (wecomtest.Reply, error) {
			return h.send.AppMemberChange(ctx, wecomtest.MemberChange{ChatID: "G1", Detail: "add_member",
				UserIDs: []string{"newbie"}, At: h.clock.Now(), CurMemVer: strings.Repeat("v", 300)})
		}},
	}
	for _, b := range bad {
		for attempt := 1; attempt <= 2; attempt++ { // WeCom retries; the answer stays the same
			r, err := b.send()
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != http.StatusBadRequest {
				t.Errorf("%s (attempt %d) = %d, want 400", b.name, attempt, r.Status)
			}
		}
	}
	if s := h.status("/api/v1/groups/G1/members/newbie"); s != http.StatusNotFound {
		t.Errorf("newbie from a refused join = %d, want 404", s)
	}
}

// TestNumericSettingsHaveRanges: /config refuses a number outside its
// documented range, so one check-in can no longer break a member's commands,
// the member API and the leaderboard.
func TestNumericSettingsHaveRanges(t *testing.T) { eachBackend(t, testNumericSettingsHaveRanges) }

func testNumericSettingsHaveRanges(t *testing.T, h *harness) {
	h.say("G1", "bob", "帮助")
	for _, cmd := range []string{
		"/config checkin.points 9223372036854775807", "/config checkin.points 10001",
		"/config message.daily_cap 99999999", "/config invite.points -1", "/config levels 0 新人, 99999999999 神",
		"/config violation.ladder 1 warn, 2 mute 99999w", "/config probation 9999999w",
		"/config shop 金条:99999999999",
	} {
		contains(t, h.say("G1", "owner1", cmd), "未修改：")
	}
	contains(t, h.say("G1", "owner1", "/mute bob 400d"), "时长", "上限")
	contains(t, h.say("G1", "owner1", "/config checkin.points 10000"), "已将 checkin.points 设为 10000")
	contains(t, h.say("G1", "bob", "签到"), "+10000")
	contains(t, h.say("G1", "bob", "积分"), "10000")
	if p := h.pointsOf("G1", "bob"); p != 10000 {
		t.Errorf("points = %d, want 10000", p)
	}
	for _, period := range []string{"day", "week", "month", "all"} {
		if s := h.status("/api/v1/groups/G1/leaderboard?period=" + period); s != http.StatusOK {
			t.Errorf("leaderboard %s = %d, want 200", period, s)
		}
	}
	// A value stored before the ranges existed is left out, not fatal.
	ctx := context.Background()
	if err := h.app.store.SetSetting(ctx, "G4", "checkin.points", "9223372036854775807", "old", h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.app.engine.InvalidateSettings("G4")
	contains(t, h.say("G4", "bob", "签到"), "签到成功，积分+5")
}

// TestYAMLSettingRanges: the same ranges stop start-up with a line naming
// the key.
func TestYAMLSettingRanges(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "qunbot.yaml")
	yaml := "defaults:\n  checkin: {points: 9223372036854775807}\ngroups:\n  G1: {message: {daily_cap: 100000000}}\n"
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"QUNBOT_CONFIG": file, "QUNBOT_DATA_DIR": dir}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err == nil {
		if _, err = config.EnsureDemoCredentials(cfg); err != nil {
			t.Fatal(err)
		}
		var a *app
		a, err = newApp(context.Background(), cfg, discardLog(), appOptions{manual: true})
		if err == nil {
			a.close()
		}
	}
	if err == nil {
		t.Fatal("start-up with out-of-range settings succeeded")
	}
	for _, want := range []string{"defaults.checkin.points", "groups.G1.message.daily_cap"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }
