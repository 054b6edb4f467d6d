package bot

import "time"

// Channel names the WeCom surface a callback arrived on. What each channel can
// see is documented in README.md: the 智能机器人 hears only @-mentions, the
// self-built app hears 1:1 messages and customer-group member events, and only
// the message archive sees a group's full traffic.
type Channel string

const (
	ChannelAIBot   Channel = "aibot"   // 智能机器人 JSON callbacks (receiveid "")
	ChannelApp     Channel = "app"     // self-built app XML callbacks (receiveid = corp id)
	ChannelArchive Channel = "archive" // messages pulled from the message archive
	ChannelSystem  Channel = "system"  // events qunbot raises itself (schedules, API read-backs)
)

// ChannelAIBotWS is 智能机器人 frames over the long connection (WebSocket).
const ChannelAIBotWS Channel = "aibot_ws"

// AIBot reports whether the event came from the 智能机器人, by webhook or
// long connection: either way the member's message gets a direct answer.
func (c Channel) AIBot() bool { return c == ChannelAIBot || c == ChannelAIBotWS }

// Kind is what an event means, independent of the wire format it came in.
type Kind string

const (
	KindMessage       Kind = "message"        // a member said something the bot can see
	KindMemberJoin    Kind = "member_join"    // change_external_chat update/add_member
	KindMemberLeave   Kind = "member_leave"   // change_external_chat update/del_member
	KindGroupChange   Kind = "group_change"   // change_external_chat create/dismiss/change_owner/change_name/change_notice
	KindCardClick     Kind = "card_click"     // template_card_event (a button on a card qunbot sent)
	KindEnterChat     Kind = "enter_chat"     // a user opened the 1:1 chat with the 智能机器人
	KindArchiveNotify Kind = "archive_notify" // msgaudit_notify: new archived messages can be pulled
	KindRecall        Kind = "recall"         // an archived message was taken back (Recalled names it)
	KindGroupSnapshot Kind = "group_snapshot" // a groupchat/get read-back, raised by the outbox worker
	KindTick          Kind = "tick"           // a scheduled job is due (reports, weekly boards, expiries)
)

// Event is one inbound callback, normalized across channels. It is what
// rules.Engine.Handle decides on.
type Event struct {
	// ID is the identity of the delivery, used for exactly-once handling: the
	// 智能机器人 msgid, the app MsgId, or for app events a digest of every field
	// that tells two events apart. A redelivery carries the same ID.
	ID      string
	Channel Channel
	Kind    Kind
	At      time.Time // when WeCom says it happened (receive time when the wire has none)

	ChatID string // the group's chatid; "" for a 1:1 conversation
	From   string // sender userid or external userid; "sys" for system events

	// Messages.
	MsgType     string // wire type: text, mixed, image, voice, file, video, link, location, card (名片), miniprogram
	Text        string // the text with a leading @bot mention stripped and spaces trimmed
	Quote       string // text of a quoted message, if any
	ResponseURL string // 智能机器人: one-shot URL for a late answer, valid one hour
	Recalled    string // KindRecall: the ID of the event whose message was taken back
	// Mentions says an archived message @-mentions someone: only such a
	// message can also have reached the 智能机器人 as a callback.
	Mentions bool

	Member   MemberChange // KindMemberJoin, KindMemberLeave, KindGroupChange
	Card     CardClick    // KindCardClick
	Snapshot *GroupInfo   // KindGroupSnapshot
	Tick     *Tick        // KindTick
}

// MemberChange carries the fields of change_external_chat.
type MemberChange struct {
	ChangeType   string   // create | update | dismiss
	UpdateDetail string   // add_member | del_member | change_owner | change_name | change_notice
	UserIDs      []string // MemChangeList
	Count        int      // MemChangeCnt
	JoinScene    int      // 0 invited by a member, 3 scanned the group QR code
	QuitScene    int      // 0 left by themselves, 1 removed by the owner or an admin
	LastMemVer   string
	CurMemVer    string
}

// CardClick carries a template_card_event.
type CardClick struct {
	EventKey string // the button's key, e.g. "remove:<id>" or "ignore:<id>"
	TaskID   string
	CardType string
}

// GroupInfo is a group's member list as WeCom reports it (groupchat/get or appchat/get).
type GroupInfo struct {
	ChatID  string
	Name    string
	Owner   string
	Admins  []string
	Members []GroupMember
}

// GroupMember is one row of GroupInfo.
type GroupMember struct {
	UserID    string
	Name      string
	Type      int // 1 internal member, 2 external contact
	JoinTime  time.Time
	JoinScene int
	Invitor   string
}

// Tick names a scheduled job that is due.
type Tick struct {
	Job string // e.g. "weekly_top", "report_daily", "probation_check"
	Run string // the run's identity, e.g. "2026-11-23"; a job runs once per (ChatID, Job, Run)
}

// IsGroup reports whether the event happened in a group.
func (e Event) IsGroup() bool { return e.ChatID != "" }
