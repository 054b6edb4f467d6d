package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
)

// seedLedger writes one check-in row for each of n members of G1, in
// transactions of 1,000 rows.
func seedLedger(b *testing.B, s *store.Store, at time.Time, n int) {
	b.Helper()
	for start := 0; start < n; start += 1000 {
		err := s.Atomic(ctx, func(tx rules.Tx) error {
			for i := start; i < min(start+1000, n); i++ {
				u := fmt.Sprintf("u%06d", i)
				e := rules.LedgerEntry{ChatID: "G1", UserID: u, Delta: 1 + i%50, Kind: rules.LedgerCheckin, Actor: u, IdemKey: "seed:" + u, At: at}
				if _, err := tx.AddEntry(ctx, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
