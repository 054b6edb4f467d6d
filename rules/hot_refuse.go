package rules

import (
	"context"
	"time"
)

// A hot turn's Tx is built from three parts, so that every method of Tx is
// placed on purpose: a method added to Tx compiles only once it is listed in
// one of them.
//   - hotReads: reads that need no transaction, made on the database directly;
//   - refuseWrites: writes (and locking reads) that only the transactional
//     path does; each sends the turn there;
//   - hotTx itself (hot_tx.go): what the turn's state and journal serve.

// hotReads are the reads a hot turn makes on the database outside any
// transaction: configuration, lists, history. None of them is a locking read.
type hotReads interface {
	StoredReply(ctx context.Context, eventID string) (string, error)
	ListGroups(ctx context.Context) ([]GroupSummary, error)
	SettingOverrides(ctx context.Context, chatID string) (map[string]string, error)
	GroupAdmins(ctx context.Context, chatID string) ([]string, error)
	ModlogEntries(ctx context.Context, chatID string, limit int) ([]ModEntry, error)
	MembersNamed(ctx context.Context, chatID, name string) ([]Member, error)
	Banwords(ctx context.Context, chatID string) ([]Banword, error)
	ActiveViolations(ctx context.Context, chatID, userID string, since time.Time, shadow bool) ([]Violation, error)
	Removal(ctx context.Context, id int64) (Removal, error)
	HasEntry(ctx context.Context, idemKey string) (bool, error)
	Entries(ctx context.Context, chatID, userID string, limit int) ([]LedgerEntry, error)
	EarnedBy(ctx context.Context, chatID string, from, to time.Time) (map[string]int, error)
	LatestJoin(ctx context.Context, chatID, userID string) (Join, error)
	OpenJoins(ctx context.Context, chatID string) ([]Join, error)
	PresentMembers(ctx context.Context, chatID string) ([]Member, error)
	MemVersion(ctx context.Context, chatID string) (string, error)
	KeywordReplies(ctx context.Context, chatID string) ([]KeywordReply, error)
	DayCounts(ctx context.Context, chatID string, w Window) ([]DayCounts, error)
	ActiveDays(ctx context.Context, chatID string, w Window) ([]ActiveDays, error)
	TopSpeakers(ctx context.Context, chatID string, w Window, n int) ([]Speaker, error)
	Population(ctx context.Context, chatID string, w Window) (members, churned int, err error)
	SilentMembers(ctx context.Context, chatID string, w Window, n int) ([]string, error)
	AIBotReach(ctx context.Context, chatID string) (Reach, error)
	AIBotReaches(ctx context.Context) (map[string]Reach, error)
	HeldEvents(ctx context.Context, before time.Time, limit int) ([]HeldEvent, error)
	GroupSeen(ctx context.Context, chatID string) (bool, error)
	UsersNamed(ctx context.Context, name string, limit int) ([]string, error)
	PeakEarned(ctx context.Context, chatID, userID, idemKey string) (int, error)
	Schedules(ctx context.Context, chatID string) ([]Schedule, error)
	Schedule(ctx context.Context, id int64) (Schedule, error)
	Orders(ctx context.Context, chatID string, q OrderQuery) ([]Order, error)
	Order(ctx context.Context, id int64) (Order, error)
	QuietMembers(ctx context.Context, chatID string, q QuietQuery) ([]QuietMember, int, error)
	RosterPage(ctx context.Context, chatID string, q RosterQuery) ([]RosterRow, error)
	EachActivity(ctx context.Context, chatID, day, recentFrom string, fn func(MemberActivity)) error
	SegmentCounts(ctx context.Context, chatID string, c SegmentCuts) (Segments, error)
}

// refuseWrites sends a turn to the transactional path at its first write
// that the hot path does not journal.
type refuseWrites struct{}

func (refuseWrites) SetSetting(context.Context, string, string, string, string, time.Time) error {
	return errSlowPath
}
func (refuseWrites) AddGroupAdmin(context.Context, string, string, string, time.Time) error {
	return errSlowPath
}
func (refuseWrites) DelGroupAdmin(context.Context, string, string) (bool, error) {
	return false, errSlowPath
}
func (refuseWrites) AddModlog(context.Context, ModEntry) error { return errSlowPath }
func (refuseWrites) SaveMember(context.Context, Member) error  { return errSlowPath }
func (refuseWrites) SetName(context.Context, string, string, time.Time) error {
	return errSlowPath
}
func (refuseWrites) AddBanword(context.Context, Banword, time.Time) (bool, error) {
	return false, errSlowPath
}
func (refuseWrites) DelBanword(context.Context, string, string) (bool, error) {
	return false, errSlowPath
}
func (refuseWrites) AddViolation(context.Context, Violation) error { return errSlowPath }
func (refuseWrites) RevokeViolation(context.Context, int64, string, time.Time) error {
	return errSlowPath
}
func (refuseWrites) AddRemoval(context.Context, Removal) (int64, error) { return 0, errSlowPath }
func (refuseWrites) DecideRemoval(context.Context, int64, string, string, time.Time) (bool, error) {
	return false, errSlowPath
}
func (refuseWrites) LockPoints(context.Context, string, string) (int, error) { return 0, errSlowPath }
func (refuseWrites) SetCheckinStreak(context.Context, string, string, string, int) error {
	return errSlowPath
}
func (refuseWrites) ShopUsage(context.Context, string, string, string) (int, int, error) {
	return 0, 0, errSlowPath
}
func (refuseWrites) AddOrder(context.Context, Order) (int64, error)       { return 0, errSlowPath }
func (refuseWrites) AddSchedule(context.Context, Schedule) (int64, error) { return 0, errSlowPath }
func (refuseWrites) DelSchedule(context.Context, string, int64) (bool, error) {
	return false, errSlowPath
}
func (refuseWrites) SettleOrder(context.Context, int64, []string, string, string, string, time.Time) (bool, error) {
	return false, errSlowPath
}
func (refuseWrites) ReturnStock(context.Context, string, string, string) error { return errSlowPath }
func (refuseWrites) AddJoin(context.Context, Join) (bool, error)               { return false, errSlowPath }
func (refuseWrites) SaveJoin(context.Context, Join) error                      { return errSlowPath }
func (refuseWrites) AddKeywordReply(context.Context, KeywordReply) error       { return errSlowPath }
func (refuseWrites) SetMemVersion(context.Context, string, string, time.Time) error {
	return errSlowPath
}
func (refuseWrites) HoldEvent(context.Context, HeldEvent) error { return errSlowPath }
func (refuseWrites) ReleaseEvent(context.Context, string) error { return errSlowPath }
func (refuseWrites) SetAIBotReach(context.Context, Reach) error { return errSlowPath }
func (refuseWrites) DelKeywordReplies(context.Context, string, string, string) (int, error) {
	return 0, errSlowPath
}
