package store

import "strconv"

// keys builds every Redis key and channel the store uses; nothing else in the
// package writes a key literal. prefix is Options.KeyPrefix + "qunbot:".
// Everything under it is rebuildable: losing Redis loses no durable state.
type keys struct{ prefix string }

// settingsChannel is the pub/sub channel carrying a chat id whose /config
// overrides changed.
func (k keys) settingsChannel() string { return k.prefix + "settings_changed" }

// reply caches the passive reply of an event id for an hour (a string; "" is
// a reply that was empty).
func (k keys) reply(eventID string) string { return k.prefix + "reply:" + eventID }

// token is a WeCom access token cached under bot.Client's name for it
// (access_token:<corp>:<agent>), shared by every replica until it expires.
func (k keys) token(name string) string { return k.prefix + "wecom:" + name }

// lock is a scheduled job's run lock (SET NX with a TTL), e.g.
// lock:report:G1:2026-11-21.
func (k keys) lock(name string) string { return k.prefix + "lock:" + name }

// lease is a lease held by one replica at a time (SET NX PX with the
// holder's token as value), e.g. lease:aibot:<botid> for the long connection.
func (k keys) lease(name string) string { return k.prefix + "lease:" + name }

// rate is a sliding-window log (sorted set of send times in ms) for one
// outbox limiter key: webhook:<hash>, appchat_update, message:<userid>,
// aibot:<chat>:m and aibot:<chat>:h (the long connection's per-chat limit).
func (k keys) rate(limiterKey string) string { return k.prefix + "rate:" + limiterKey }

// modWindow is a member's moderation window (sorted set of hit ids scored by
// ms) for one scope: flood, or repeat:<hash of the normalized text>.
func (k keys) modWindow(chatID, userID, scope string) string {
	return k.prefix + "modwin:" + chatID + ":" + userID + ":" + scope
}

// board is a leaderboard sorted set (member userid, score points earned),
// e.g. board:{G1}:week:2026-W47; boardReady marks it complete (rebuilt from
// the ledger), so a board Redis lost is rebuilt rather than restarted.
func (k keys) board(chatID, period, key string) string {
	return k.prefix + "board:{" + chatID + "}:" + period + ":" + key
}

func (k keys) boardReady(chatID, period, key string) string {
	return k.board(chatID, period, key) + ":ready"
}

// replyCooldown holds the end (unix ms) of a keyword reply's cooldown in a
// group; rule is a short digest of the keyword's kind and pattern.
func (k keys) replyCooldown(chatID, rule string) string {
	return k.prefix + "reply_cd:" + chatID + ":" + rule
}

// claim marks a delivery a hot turn is deciding or decided (SET NX with a
// TTL): most redeliveries stop here; the database's delivery row decides.
func (k keys) claim(eventID string) string { return k.prefix + "claim:" + eventID }

// epoch numbers the generation of member copies. It moves on when a process
// starts and when Redis comes back after a process lost it, since writes made
// meanwhile did not reach the copies: every copy of an older generation is
// then left to expire, and read again from its row.
func (k keys) epoch() string { return k.prefix + "epoch" }

// memberCopy is a copy of a member's state (a hash, store/member_copy.go) of
// one generation.
func (k keys) memberCopy(epoch int64, chatID, userID string) string {
	return k.prefix + "member:" + strconv.FormatInt(epoch, 10) + ":" + chatID + ":" + userID
}
