package store

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
