package rules

import (
	"context"
	"errors"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// The hot path: how a turn is shaped for the stream of group traffic.
//
// Most of what a group says is ordinary chat, 签到, 积分 and keyword questions.
// Deciding those inside one database transaction of a dozen statements caps
// a server at a few hundred messages a second, so they take the hot path:
//
//  1. BeginTurn claims the delivery in Redis (SET NX) and reads the speaker's
//     state (member row, balance, points earned, meter, latest check-in) from
//     its Redis copy: one round trip. Only a member Redis has no copy of costs
//     a database read, which fills the copy.
//  2. The turn runs the same stages as any other (commands, moderation, quiz,
//     points, replies) on hotTx: reads come from that state, from the
//     process's caches (settings, known groups, admins) or from the database
//     outside any transaction; writes are appended to the turn's Journal.
//     What hotTx cannot do alone (any moderation action, an admin command, a
//     redemption, a join…) returns errSlowPath: the turn is dropped, the few
//     reservations it made in Redis are undone, and it runs again on the
//     transactional path (Engine.handleSlow), exactly as before.
//  3. HotStore.Commit hands the journal to the group committer, which writes
//     the journals of every turn waiting at that moment in one transaction
//     with multi-row statements, and only then returns. Nothing is answered
//     before its effects are durable; a crash loses only unanswered turns,
//     which WeCom delivers again.
//  4. Exactly-once stays with the database's unique keys: the delivery row,
//     the ledger's idempotency key, the check-in of a member's day. The Redis
//     claim only spares the database most duplicates. A journal that breaks a
//     unique key (a race the caches could not see: another replica, a Redis
//     that lost its copy) fails alone, and its turn is decided again on the
//     transactional path, which reads what won.
//  5. After the commit the store reads the changed member rows back (each
//     carries a version bumped by every write) and updates their Redis copies
//     only where the copy is older, so a slow writer can never put an old
//     copy over a newer one. The transactional path does the same after its
//     own commits. The ledger stays the truth: a copy Redis lost is read
//     again from the member row, whose balance is always the ledger's sum.
//
// Within one process the turns of one member are serialized (stripes.go),
// so a member's second message always sees the first one's effects. Across
// replicas the meter is reserved atomically in Redis and the database's keys
// decide the rest.

// errSlowPath says a hot turn needs the transactional path.
var errSlowPath = errors.New("rules: needs the transactional path")

// ErrConflict is returned by HotStore.Commit when a journal breaks a unique
// key other than its delivery's: what it decided from its copies was already
// done by a turn it could not see.
var ErrConflict = errors.New("rules: effect already recorded by another turn")

// ErrUnavailable wraps a failure to reach the database or Redis (refused,
// timed out, hung): the delivery should be retried later, not reported as a
// bug.
var ErrUnavailable = errors.New("rules: store unavailable")

// HotStore is what the hot path needs from the store.
type HotStore interface {
	// BeginTurn claims the delivery for a while and reads the speaker's
	// state; with a Slot it also reserves that message-points slot. When
	// another delivery of the event holds or held the claim it returns
	// ErrDuplicate, with the reply that delivery cached if there is one.
	BeginTurn(ctx context.Context, s TurnStart) (TurnBegun, error)
	// AbandonTurn releases the claim of a turn that recorded nothing.
	AbandonTurn(ctx context.Context, eventID string)
	// ReserveMessageSlot takes one message-points slot from the member's meter
	// in Redis, atomically across replicas; the new meter goes in the journal.
	// granted is false when the cooldown or the daily cap says no. The copy
	// must exist (BeginTurn read it); when it is gone, errSlowPath.
	ReserveMessageSlot(ctx context.Context, s MessageSlot) (next Meter, granted bool, err error)
	// ReleaseMessageSlot gives back a slot a dropped turn reserved, if the
	// meter still shows it.
	ReleaseMessageSlot(ctx context.Context, chatID, userID string, reserved, before Meter)
	// Commit writes j with the journals of other turns in one transaction and
	// returns once it is durable: ErrDuplicate when the delivery was already
	// recorded, ErrConflict when another effect was.
	Commit(ctx context.Context, j *Journal) error
	// Name is a member's display name from a cache of the directory.
	CachedName(ctx context.Context, userID string) (string, error)
}

// TurnStart is what BeginTurn is asked.
type TurnStart struct {
	EventID, ChatID, UserID string
	// Slot, for a message that may earn points, is reserved in the same
	// round trip; hotTx hands the reservation to the points stage or gives it
	// back.
	Slot *MessageSlot
}

// TurnBegun is what BeginTurn found.
type TurnBegun struct {
	State MemberState
	// Reserved says Slot was tried (the copy was there to try it on);
	// Granted and Meter are the outcome, as ReserveMessageSlot gives them.
	Reserved, Granted bool
	Meter             Meter
	// Reply is the cached reply of a duplicate, when HasReply.
	Reply    string
	HasReply bool
}

// MemberState is the speaker's state a hot turn decides from: the member row
// and what is kept on it.
type MemberState struct {
	Found         bool // the member has a row
	Member        Member
	Points        int // balance: the sum of the member's ledger rows
	Earned        int // the sum of their rows that are not spending
	Meter         Meter
	CheckinDay    string // latest check-in, YYYY-MM-DD; "" when never
	CheckinStreak int
	// SpokeDay is the latest day their messages are counted on; a message of
	// a later day may be their first of it.
	SpokeDay string
	Version  int64 // bumped by every write of the row
}

// Meter is a member's message-points meter: how many messages earned on Day,
// and when the last one did.
type Meter struct {
	Day   string
	Count int
	Last  time.Time
}

// Journal is everything one hot turn records, written by the group committer.
type Journal struct {
	EventID  string
	At       time.Time
	Reply    string
	Groups   []string // groups seen for the first time by this process
	Members  []MemberDelta
	Ledger   []LedgerEntry
	Checkins []Checkin
	Messages []MessageCount
	Days     []DayDelta
	Outbox   []bot.Action
	Print    *MessagePrint // the message's print (archive.go), if it leaves one
	// Boards are the leaderboard increments the store applies once the
	// journal is committed.
	Boards []BoardDelta
}

// BoardDelta adds points earned to a member's score on boards.
type BoardDelta struct {
	ChatID, UserID string
	Delta          int
	Boards         []Board
}

// MemberDelta is what a turn changes on one member row.
type MemberDelta struct {
	ChatID, UserID string
	Touch          bool // create the row if there is none (first seen = joined = At)
	Points, Earned int  // added to the balance and to the points earned
	Meter          *Meter
	Checkin        *Checkin // becomes the latest check-in
	SpokeDay       string   // a message counted on this day ("" none)
}

// MessageCount is one message counted in the activity roll-ups, sent at At.
// Seen says the member's copy already showed a message that day, so this one
// is not their first of it.
type MessageCount struct {
	ChatID, UserID, Day string
	At                  time.Time
	Seen                bool
}

// DayDelta adds to a group's day counters (DayCounts.Day is the day).
type DayDelta struct {
	ChatID, UserID string
	Counts         DayCounts
}

// member returns the journal's delta for a member, adding it when new.
func (j *Journal) member(chatID, userID string) *MemberDelta {
	for i := range j.Members {
		if d := &j.Members[i]; d.ChatID == chatID && d.UserID == userID {
			return d
		}
	}
	j.Members = append(j.Members, MemberDelta{ChatID: chatID, UserID: userID})
	return &j.Members[len(j.Members)-1]
}
