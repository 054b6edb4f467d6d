package rules

import (
	"context"
	"errors"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// ErrDuplicate means the event was already handled: its effects are recorded
// and its reply can be read with StoredReply.
var ErrDuplicate = errors.New("rules: event already handled")

// ErrNotFound is returned by lookups that find nothing.
var ErrNotFound = errors.New("rules: not found")

// Store is the durable record (MySQL or the embedded SQLite). Every effect of
// one event, together with the outbox rows it causes and the delivery record
// that makes it exactly-once, is written inside one Atomic call.
type Store interface {
	Tx
	// Atomic runs fn in one database transaction. If fn returns an error
	// nothing it wrote is kept.
	Atomic(ctx context.Context, fn func(tx Tx) error) error
}

// Tx is what the engine reads and writes while deciding. Each feature adds the
// small interface it needs here.
type Tx interface {
	Deliveries
	Groups
	Admins
	Modlog
	Outbox
	Members
	Moderation
	Ledger
	Engagement
	Joins
	Replies
	Analytics
	AIBotReach
	HeldEvents
	Schedules
	Orders
	Followups
	Roster
}

// Deliveries make handling exactly-once: the first ClaimDelivery of an event
// ID wins; any later one, or one racing it, gets ErrDuplicate.
type Deliveries interface {
	ClaimDelivery(ctx context.Context, eventID string, at time.Time) error
	SaveReply(ctx context.Context, eventID, reply string) error
	StoredReply(ctx context.Context, eventID string) (string, error)
}

// Groups records the groups the bot has seen and their /config overrides.
type Groups interface {
	// EnsureGroup records a group the first time it is seen; later calls are no-ops.
	EnsureGroup(ctx context.Context, chatID string, at time.Time) error
	// GroupSeen reports whether EnsureGroup ever recorded chatID.
	GroupSeen(ctx context.Context, chatID string) (bool, error)
	ListGroups(ctx context.Context) ([]GroupSummary, error)
	SettingOverrides(ctx context.Context, chatID string) (map[string]string, error)
	SetSetting(ctx context.Context, chatID, key, value, actor string, at time.Time) error
}

// GroupSummary is one row of the group list.
type GroupSummary struct {
	ChatID    string
	Members   int // members currently in the group (joined and not left)
	FirstSeen time.Time
}

// Admins are the group admins added with /admin add (owner and QUNBOT_ADMINS
// are admins by configuration and are not stored here).
type Admins interface {
	IsGroupAdmin(ctx context.Context, chatID, userID string) (bool, error)
	AddGroupAdmin(ctx context.Context, chatID, userID, actor string, at time.Time) error
	DelGroupAdmin(ctx context.Context, chatID, userID string) (removed bool, err error)
	GroupAdmins(ctx context.Context, chatID string) ([]string, error)
}

// Modlog is the moderation record. Entries are never changed.
type Modlog interface {
	AddModlog(ctx context.Context, e ModEntry) error
	ModlogEntries(ctx context.Context, chatID string, limit int) ([]ModEntry, error)
}

// Modlog actions; stored values, never renamed.
const (
	ModWarn            = "warn"
	ModUnwarn          = "unwarn"
	ModMute            = "mute"
	ModUnmute          = "unmute"
	ModRemove          = "remove"
	ModRemoveRequested = "remove_requested"
	ModRemoveDecided   = "remove_decided"
	ModDenied          = "denied"
	ModShadow          = "shadow"
)

// ModEntry is one modlog row.
type ModEntry struct {
	ID       int64
	ChatID   string
	Action   string
	Actor    string
	Target   string
	Reason   string
	Evidence string
	Source   string // the delivery whose message is the evidence ("" none)
	At       time.Time
}

// Outbox holds the actions that call WeCom until the worker has delivered them.
type Outbox interface {
	Enqueue(ctx context.Context, at time.Time, actions ...bot.Action) error
}

// Members is the member directory: who is in which group, under what name.
type Members interface {
	// Member returns ErrNotFound for a member the bot has never seen.
	Member(ctx context.Context, chatID, userID string) (Member, error)
	// TouchMember records that userID was seen in chatID (first seen = joined
	// when no join event was received).
	TouchMember(ctx context.Context, chatID, userID string, at time.Time) error
	SaveMember(ctx context.Context, m Member) error
	// MembersNamed returns the members of chatID whose name is name.
	MembersNamed(ctx context.Context, chatID, name string) ([]Member, error)
	// SetName records a display name for a userid (address book or groupchat/get).
	SetName(ctx context.Context, userID, name string, at time.Time) error
	Name(ctx context.Context, userID string) (string, error)
	// UsersNamed returns up to limit userids whose directory name is name,
	// in any group or none (the address book as qunbot has learned it).
	UsersNamed(ctx context.Context, name string, limit int) ([]string, error)
}

// Member is one member of one group.
type Member struct {
	ChatID         string
	UserID         string
	Name           string // from the directory; "" when not yet known
	JoinedAt       *time.Time
	JoinScene      int
	Inviter        string
	LeftAt         *time.Time
	Removed        bool // left because an admin or qunbot removed them
	ProbationUntil *time.Time
	MutedUntil     *time.Time
	Approved       bool // exempted from detectors by /approve
}

// Counters are the fast, rebuildable state kept in Redis.
type Counters interface {
	// PublishSettingsChanged tells every replica to reload chatID's settings.
	PublishSettingsChanged(ctx context.Context, chatID string) error
	ModCounters
	Leaderboards
	ReplyCooldowns
	ReplyCache
}

// ReplyCache keeps each event's reply for an hour, so most redeliveries are
// answered without touching the database.
type ReplyCache interface {
	// CachedReply is ok with the reply ("" included) of an event answered.
	CachedReply(ctx context.Context, eventID string) (reply string, ok bool, err error)
	CacheReply(ctx context.Context, eventID, reply string) error
}
