package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

var errRedisDown = errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")

// boardsDown is the store with Redis gone for the leaderboards.
type boardsDown struct{ *store.Store }

func (boardsDown) AddEarned(context.Context, string, string, int, []rules.Board) error {
	return errRedisDown
}
func (boardsDown) Top(context.Context, string, rules.Board, int) ([]rules.Ranked, bool, error) {
	return nil, false, errRedisDown
}
func (boardsDown) RankOf(context.Context, string, string, rules.Board) (int, int, bool, error) {
	return 0, 0, false, errRedisDown
}
func (boardsDown) Scores(context.Context, string, rules.Board, []string) ([]int, bool, error) {
	return nil, false, errRedisDown
}
func (boardsDown) RebuildBoard(context.Context, string, rules.Board, map[string]int, time.Time) error {
	return errRedisDown
}

// The boards are Redis state rebuilt from the ledger: without Redis, 积分,
// 排行 and the admin API answer from the ledger itself.
func TestBoardsComeFromTheLedgerWithoutRedis(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *store.Store, clk *clock) {
		e, err := rules.New(rules.Deps{Store: s, Counters: boardsDown{s}, Now: clk.Now, Location: shanghai,
			Groups: map[string]map[string]string{"G1": {"owner": "boss"}}})
		must(t, err)
		c := &chat{t: t, e: e}
		c.say("bob", "帮助") // bob and carol are known in the group
		c.say("carol", "帮助")
		c.say("boss", "/givepoints bob +30")
		c.say("alice", "签到")
		c.say("boss", "/givepoints carol +30")
		wantContains(t, c.say("alice", "积分"), "积分：5", "总榜排名：第3名")
		wantContains(t, c.say("dave", "积分"), "暂未上榜")
		wantContains(t, c.say("bob", "/top all"), "1. carol 30分", "2. bob 30分", "3. alice 5分")
		if got, want := boardOf(t, c, "week"), "1.carol:30 2.bob:30 3.alice:5"; got != want {
			t.Errorf("API week board = %q, want %q", got, want)
		}
	})
}
