package store

import (
	"context"
	"fmt"

	"github.com/qunbot/qunbot/rules"
)

// LedgerMismatches lists the members whose balance or points earned, as
// kept on their member row, differ from their ledger rows' sums, and ledger
// rows without a member row ("group/user: row 12 earned 7, ledger 15 earned
// 10"). Empty means the ledger and the rows agree, as every write keeps them.
func (s *Store) LedgerMismatches(ctx context.Context) ([]string, error) {
	var rows []struct {
		ChatID, UserID          string
		Points, Earned          *int64
		LedgerSum, LedgerEarned int64
	}
	err := s.q(ctx).Raw(`SELECT l.chat_id, l.user_id, m.points, m.earned, l.ledger_sum, l.ledger_earned FROM
		(SELECT chat_id, user_id, SUM(delta) AS ledger_sum,
		        SUM(CASE WHEN kind IN ? THEN 0 ELSE delta END) AS ledger_earned
		 FROM ledger GROUP BY chat_id, user_id) l
		LEFT JOIN members m ON m.chat_id = l.chat_id AND m.user_id = l.user_id
		WHERE m.user_id IS NULL OR m.points <> l.ledger_sum OR m.earned <> l.ledger_earned
		UNION ALL
		SELECT m.chat_id, m.user_id, m.points, m.earned, 0, 0 FROM members m
		WHERE (m.points <> 0 OR m.earned <> 0)
		  AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.chat_id = m.chat_id AND l.user_id = m.user_id)`,
		rules.SpendKinds).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: check ledger: %w", err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		kept := "no member row"
		if r.Points != nil {
			kept = fmt.Sprintf("row %d earned %d", *r.Points, *r.Earned)
		}
		out[i] = fmt.Sprintf("%s/%s: %s, ledger %d earned %d", r.ChatID, r.UserID, kept, r.LedgerSum, r.LedgerEarned)
	}
	return out, nil
}
