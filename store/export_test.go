package store

import (
	"context"
	"time"
)

// CorruptPayloads breaks every outbox payload, to test the worker's handling.
func CorruptPayloads(s *Store) error {
	return s.db.Exec("UPDATE outbox SET payload = ?", "{not json").Error
}

// InsertLedger writes a bare ledger row, reporting a unique violation as
// IsUnique would see it. The engagement code will own the ledger's API.
func InsertLedger(s *Store, chatID, userID, idemKey string) (unique bool, err error) {
	err = s.db.Exec("INSERT INTO ledger (chat_id, user_id, delta, kind, reason, source, actor, idem_key, created_at)"+
		" VALUES (?, ?, 1, 'message', '', 'm1', '', ?, ?)", chatID, userID, idemKey, dbTime(s.now())).Error
	return isUnique(err), err
}

// ClaimLifetime is how long the claim of eventID has left, wherever the
// store holds it (Redis, or the process with the in-process Redis); 0 or
// less when there is none.
func ClaimLifetime(s *Store, eventID string) time.Duration {
	if s.localClaims != nil {
		return s.localClaims.lifetime(eventID)
	}
	return s.rdb.TTL(context.Background(), s.keys.claim(eventID)).Val()
}
