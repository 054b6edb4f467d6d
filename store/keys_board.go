package store

// board is a leaderboard sorted set (member userid, score points earned),
// e.g. board:{G1}:week:2026-W47; boardReady marks it complete (rebuilt from
// the ledger), so a board Redis lost is rebuilt rather than restarted.
func (k keys) board(chatID, period, key string) string {
	return k.prefix + "board:{" + chatID + "}:" + period + ":" + key
}

func (k keys) boardReady(chatID, period, key string) string {
	return k.board(chatID, period, key) + ":ready"
}
