package rules

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/qunbot/qunbot/bot"
)

// Limits of every text qunbot stores, in characters (runes). This is the one
// place that knows them: each is checked before a turn records anything, so
// MySQL, whose columns have sizes, and the embedded SQLite, which has none,
// behave the same. The columns (store/migrations_*.go) bound them: varchar(n)
// holds n characters, TEXT 65,535 bytes (16,383 four-byte characters).
const (
	// MaxIDLen bounds a userid or chat id (varchar(64) everywhere; WeCom's
	// own are shorter).
	MaxIDLen = 64
	// MaxEventIDLen bounds a delivery's id (msgid, MsgId): deliveries.event_id
	// is varchar(191) and ledger keys add up to 80 characters to it.
	MaxEventIDLen = 110
	// MaxMemVerLen bounds CurMemVer and LastMemVer (varchar(191)).
	MaxMemVerLen = 128
	// MaxURLLen bounds a response_url (kept in an outbox row).
	MaxURLLen = 2048
	// MaxNameLen bounds a display name learned from WeCom (directory.name is
	// varchar(191)); longer ones are cut.
	MaxNameLen = 64
	// MaxReasonLen bounds a reason an admin gives (/warn, /mute, /kick,
	// /givepoints; ledger.reason is varchar(255)).
	MaxReasonLen = 200
	// MaxKeywordLen bounds a keyword of /reply (pattern is varchar(255)).
	MaxKeywordLen = 100
	// MaxBanwordLen bounds a banned word; MaxRegexBytes a banned or keyword
	// expression (varchar(255)).
	MaxBanwordLen = 64
	MaxRegexBytes = 200
	// MaxItemLen bounds a shop item's name (orders keep it in varchar(191)).
	MaxItemLen = 64
	// MaxReplyTextLen bounds one keyword reply's answer.
	MaxReplyTextLen = 1000
	// MaxWelcomeLen bounds the welcome text: an external group keeps it as
	// WeCom's welcome template, which takes 3,000 bytes.
	MaxWelcomeLen = 800
	// MaxRulesLen bounds the rules text (shown by 规则 and in welcomes).
	MaxRulesLen = 1000
	// MaxSettingLen bounds any other setting's value (group_settings.value is TEXT).
	MaxSettingLen = 2000
	// MaxEvidenceLen is where evidence (a member's message kept in the
	// modlog) is cut, with evidenceCut at the end.
	MaxEvidenceLen = 2000
	// MaxScheduleTextLen bounds a scheduled post's text: it is posted as a
	// WeCom text of at most 2,048 bytes (schedules.text is TEXT).
	MaxScheduleTextLen = 500
	// MaxCronLen bounds a scheduled post's cron expression (schedules.spec
	// is varchar(128)).
	MaxCronLen = 100
	// MaxReplyLen is where a passive reply is cut, with replyCut at the end
	// (deliveries.reply is TEXT; WeCom's stream content takes 20,480 bytes).
	MaxReplyLen = 4000
)

const (
	evidenceCut = sayEvidenceCut
	replyCut    = sayReplyCut
)

// ErrFieldTooLong means a callback carries a field longer than qunbot can
// keep (a 300-character msgid): the sender's fault, answered 400 every time.
var ErrFieldTooLong = errors.New("rules: callback field too long")

// ErrNoSender means a message or click names nobody (an empty from.userid):
// nothing can be credited to or asked of anyone, so it is ignored (an empty
// 200, counted).
var ErrNoSender = errors.New("rules: event without a sender")

// CheckEvent refuses an event whose fields would not fit their columns, or
// that needs a sender and has none. Engine.Handle calls it before anything
// is recorded; the HTTP layer answers ErrFieldTooLong with 400 and
// ErrNoSender with an empty 200.
func CheckEvent(ev bot.Event) error {
	type field struct {
		name, value string
		limit       int
	}
	fields := []field{
		{"id", ev.ID, MaxEventIDLen}, {"chatid", ev.ChatID, MaxIDLen}, {"userid", ev.From, MaxIDLen},
		{"response_url", ev.ResponseURL, MaxURLLen}, {"recalled", ev.Recalled, MaxEventIDLen},
		{"LastMemVer", ev.Member.LastMemVer, MaxMemVerLen}, {"CurMemVer", ev.Member.CurMemVer, MaxMemVerLen},
	}
	for _, u := range ev.Member.UserIDs {
		fields = append(fields, field{"MemChangeList", u, MaxIDLen})
	}
	for _, f := range fields {
		if n := utf8.RuneCountInString(f.value); n > f.limit {
			return fmt.Errorf("%w: %s has %d characters, at most %d", ErrFieldTooLong, f.name, n, f.limit)
		}
	}
	switch ev.Kind {
	case bot.KindMessage, bot.KindCardClick, bot.KindEnterChat:
		if ev.From == "" {
			return fmt.Errorf("%w: %s %s", ErrNoSender, ev.Kind, ev.ID)
		}
	}
	return nil
}

// checkLen is the UserError for a text typed in chat that is over its limit.
func checkLen(what, s string, limit int) error {
	if n := utf8.RuneCountInString(s); n > limit {
		return Userf(sayTooLong, what, n, limit)
	}
	return nil
}

// tooLong is checkLen's wording for a setting value, which /config reports
// after the key.
func tooLong(s string, limit int) error {
	if n := utf8.RuneCountInString(s); n > limit {
		return fmt.Errorf(sayTooLongProblem, n, limit)
	}
	return nil
}

// clip cuts s to limit characters, ending it with marker when it was cut.
func clip(s string, limit int, marker string) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	keep := limit - utf8.RuneCountInString(marker)
	i, n := 0, 0
	for i < len(s) && n < keep {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return s[:i] + marker
}

// asEvidence is a message as the modlog keeps it.
func asEvidence(s string) string { return clip(s, MaxEvidenceLen, evidenceCut) }
