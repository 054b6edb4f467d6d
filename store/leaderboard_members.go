package store

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/qunbot/qunbot/rules"
)

// DropFromBoards removes userID from each board (a member who left).
func (s *Store) DropFromBoards(ctx context.Context, chatID, userID string, boards []rules.Board) error {
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, b := range boards {
			p.ZRem(ctx, s.keys.board(chatID, b.Period, b.Key), userID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: drop %s from the boards of %s: %w", userID, chatID, err)
	}
	return nil
}

// InvalidateBoards deletes the boards' ready markers, so their next read
// rebuilds them from the ledger.
func (s *Store) InvalidateBoards(ctx context.Context, chatID string, boards []rules.Board) error {
	keys := make([]string, len(boards))
	for i, b := range boards {
		keys[i] = s.keys.boardReady(chatID, b.Period, b.Key)
	}
	if err := s.rdb.Del(ctx, keys...).Err(); err != nil {
		return fmt.Errorf("store: invalidate the boards of %s: %w", chatID, err)
	}
	return nil
}
