package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/qunbot/qunbot/rules"
)

var _ rules.Leaderboards = (*Store)(nil)

// boardReadyTTL bounds how long a board may drift from the ledger: a credit
// committed while its board was being rebuilt can miss it, so boards are
// rebuilt from the ledger at least this often (when read).
const boardReadyTTL = 6 * time.Hour

// rebuildChunk is how many members one ZADD of a rebuild carries.
const rebuildChunk = 5000

// addEarned increments the boards (KEYS in pairs: set, ready marker) whose
// ready marker exists; a lost board is left for the rebuild.
var addEarned = redis.NewScript(`
for i = 1, #KEYS, 2 do
  if redis.call('EXISTS', KEYS[i+1]) == 1 then
    redis.call('ZINCRBY', KEYS[i], ARGV[2], ARGV[1])
  end
end
return 0`)

// AddEarned adds delta to userID's score on each ready board.
func (s *Store) AddEarned(ctx context.Context, chatID, userID string, delta int, boards []rules.Board) error {
	if err := addEarned.Run(ctx, s.rdb, s.boardKeys(chatID, boards), userID, delta).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("store: leaderboards of %s: %w", chatID, err)
	}
	return nil
}

// boardKeys lists each board's set and ready marker, in pairs.
func (s *Store) boardKeys(chatID string, boards []rules.Board) []string {
	keys := make([]string, 0, 2*len(boards))
	for _, b := range boards {
		keys = append(keys, s.keys.board(chatID, b.Period, b.Key), s.keys.boardReady(chatID, b.Period, b.Key))
	}
	return keys
}

// Top returns the first n of a board; ok is false when the board must be
// rebuilt first.
func (s *Store) Top(ctx context.Context, chatID string, b rules.Board, n int) ([]rules.Ranked, bool, error) {
	var ready *redis.IntCmd
	var top *redis.ZSliceCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		ready = p.Exists(ctx, s.keys.boardReady(chatID, b.Period, b.Key))
		top = p.ZRevRangeWithScores(ctx, s.keys.board(chatID, b.Period, b.Key), 0, int64(n-1))
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("store: top of %s %s: %w", chatID, b.Key, err)
	}
	if ready.Val() == 0 {
		return nil, false, nil
	}
	out := make([]rules.Ranked, 0, len(top.Val()))
	for _, z := range top.Val() {
		if z.Score > 0 {
			out = append(out, rules.Ranked{UserID: z.Member.(string), Points: int(z.Score)})
		}
	}
	return out, true, nil
}

// RankOf returns userID's 1-based rank and score on a board (rank 0 when
// absent); ok is false when the board must be rebuilt first.
func (s *Store) RankOf(ctx context.Context, chatID, userID string, b rules.Board) (rank, score int, ok bool, err error) {
	set := s.keys.board(chatID, b.Period, b.Key)
	var ready *redis.IntCmd
	var r *redis.IntCmd
	var sc *redis.FloatCmd
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		ready = p.Exists(ctx, s.keys.boardReady(chatID, b.Period, b.Key))
		r = p.ZRevRank(ctx, set, userID)
		sc = p.ZScore(ctx, set, userID)
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return 0, 0, false, fmt.Errorf("store: rank of %s in %s: %w", userID, chatID, err)
	}
	if ready.Val() == 0 {
		return 0, 0, false, nil
	}
	if r.Err() != nil {
		return 0, 0, true, nil // not on the board
	}
	return int(r.Val()) + 1, int(sc.Val()), true, nil
}

// RebuildBoard replaces a board with totals and marks it ready, in one
// MULTI so readers never see it half built.
func (s *Store) RebuildBoard(ctx context.Context, chatID string, b rules.Board, totals map[string]int, now time.Time) error {
	set, ready := s.keys.board(chatID, b.Period, b.Key), s.keys.boardReady(chatID, b.Period, b.Key)
	members := make([]redis.Z, 0, len(totals))
	for u, p := range totals {
		members = append(members, redis.Z{Member: u, Score: float64(p)})
	}
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, set)
		for i := 0; i < len(members); i += rebuildChunk {
			p.ZAdd(ctx, set, members[i:min(i+rebuildChunk, len(members))]...)
		}
		if ttl := b.TTL(now); ttl > 0 {
			p.Expire(ctx, set, ttl)
		}
		p.Set(ctx, ready, now.UTC().Format(time.RFC3339), boardReadyTTL)
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: rebuild %s board %s: %w", chatID, b.Key, err)
	}
	return nil
}

// Scores returns users' scores on a board in one ZMSCORE (0 when absent);
// ok is false when the board must be rebuilt first.
func (s *Store) Scores(ctx context.Context, chatID string, b rules.Board, users []string) ([]int, bool, error) {
	var ready *redis.IntCmd
	var sc *redis.FloatSliceCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		ready = p.Exists(ctx, s.keys.boardReady(chatID, b.Period, b.Key))
		sc = p.ZMScore(ctx, s.keys.board(chatID, b.Period, b.Key), users...)
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, false, fmt.Errorf("store: scores in %s: %w", chatID, err)
	}
	if ready.Val() == 0 {
		return nil, false, nil
	}
	out := make([]int, len(users))
	for i, v := range sc.Val() {
		out[i] = int(v)
	}
	return out, true, nil
}
