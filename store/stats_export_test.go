package store

import (
	"fmt"
	"strings"
)

// BulkInsert writes rows into table in multi-row INSERTs of 500, for
// benchmarks that need a big group fast.
func BulkInsert(s *Store, table string, cols []string, rows [][]any) error {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for start := 0; start < len(rows); start += 500 {
		batch := rows[start:min(start+500, len(rows))]
		args := make([]any, 0, len(batch)*len(cols))
		for _, r := range batch {
			args = append(args, r...)
		}
		sql := fmt.Sprintf("INSERT INTO %s (%s) VALUES %s", table, strings.Join(cols, ", "),
			strings.TrimSuffix(strings.Repeat(one+", ", len(batch)), ", "))
		if err := s.db.Exec(sql, args...).Error; err != nil {
			return fmt.Errorf("bulk insert into %s: %w", table, err)
		}
	}
	return nil
}

// Activity exposes a member's activity bits to the benchmark seed.
type Activity struct{ a activity }

// Mark records a day spoken on.
func (x Activity) Mark(day string) Activity { return Activity{x.a.mark(day)} }

// Row is the stat_members columns last_day, bits0, bits1.
func (x Activity) Row() []any {
	return []any{x.a.last, int64(x.a.bits[0]), int64(x.a.bits[1])}
}
