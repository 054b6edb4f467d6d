package rules

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// Full traffic: messages from the message archive (INTERFACE.md section 9).
//
// An archived message runs the same turn as an @-message, on the same paths
// (hot or transactional) with the same delivery key ("archive:" + msgid),
// with these differences: the turn's time is the message's own time (a
// backlog pulled hours later keeps its cooldowns, windows and days); it is
// counted, moderated and earns message points, but runs no command and gets
// no keyword reply (the member did not address the bot, and there is no
// callback to answer); its notices are posted (section 7.2).
//
// The match. A message that @-mentions the bot reaches qunbot twice: as a
// callback (its msgid) and as an archive record (another msgid). The two are
// the same message when they have the same group, the same sender and the
// same text (bot.MatchText: leading mentions stripped, spaces folded), and
// their times are at most MatchWindow apart. Each group message with text
// leaves a print (its delivery, group, sender, a digest of the text, its
// time, and whether it came by callback or archive) in the same commit as
// its effects; an archived message that @-mentions nobody cannot have been
// a callback and leaves none (nor looks for one). A turn first looks for a print of the other kind that
// matches and that nothing paired yet; when there is one, its own print
// pairs it (a unique key: a print is paired at most once) and:
//   - an archive copy of a message the callback handled does nothing more;
//   - a callback whose archive copy came first (a callback retried late)
//     runs only the commands and keyword replies, which the archive copy did
//     not run, and is not counted, moderated or credited again.
//
// Pairing is one to one, so n identical messages said both ways count n
// times whichever copy pairs with which. Within one process the turns of a
// member are serialized, so the second copy always sees the first's print;
// two replicas handling both copies of one message in the same instant can
// both miss it (the puller runs on one replica at a time, and archive copies
// arrive seconds after their callbacks, so this needs a callback delayed to
// exactly the moment its copy is pulled).

// MatchWindow is how far apart the times of a callback and its archive copy
// may be.
const MatchWindow = 2 * time.Minute

// Print sources.
const (
	PrintCallback = "callback"
	PrintArchive  = "archive"
)

// MessagePrint is a group message's print, for the match.
type MessagePrint struct {
	EventID, ChatID, UserID string
	Digest                  string // of bot.MatchText
	Source                  string // PrintCallback or PrintArchive
	At                      time.Time
	Pairs                   string // the event ID of the print it matched; "" none
}

// Prints finds matching prints (the store). MatchPrint returns the event ID
// of the earliest print of the other source with p's group, sender and
// digest, within window of p.At, that no print pairs yet; ErrNotFound when
// there is none.
type Prints interface {
	MatchPrint(ctx context.Context, p MessagePrint, window time.Duration) (string, error)
}

// printRecorder is a Tx that records prints; a Tx without it (test fakes)
// keeps none.
type printRecorder interface {
	RecordPrint(ctx context.Context, p MessagePrint) error
}

// evidenceRedactor is a Tx that can take a recalled message out of the
// modlog's evidence.
type evidenceRedactor interface {
	RedactEvidence(ctx context.Context, chatID, eventID, text string) error
}

// RecalledEvidence replaces the evidence of a message its sender took back.
const RecalledEvidence = "[消息已撤回]"

// printOf is the print of a group message, paired with its match if it has
// one; nil when the event leaves none.
func (e *Engine) printOf(ctx context.Context, ev bot.Event) (*MessagePrint, error) {
	if e.prints == nil || ev.Kind != bot.KindMessage || ev.ChatID == "" || ev.From == "" {
		return nil, nil
	}
	source := PrintCallback
	switch {
	case ev.Channel == bot.ChannelArchive && !ev.Mentions:
		return nil, nil // it cannot have come as a callback: no look-up, no print
	case ev.Channel == bot.ChannelArchive:
		source = PrintArchive
	case !ev.Channel.AIBot():
		return nil, nil
	}
	text := bot.MatchText(ev.Text)
	if text == "" {
		return nil, nil
	}
	sum := sha256.Sum256([]byte(text))
	p := &MessagePrint{EventID: ev.ID, ChatID: ev.ChatID, UserID: ev.From, Digest: hex.EncodeToString(sum[:12]),
		Source: source, At: ev.At}
	match, err := e.prints.MatchPrint(ctx, *p, MatchWindow)
	switch {
	case err == nil:
		p.Pairs = match
	case !errors.Is(err, ErrNotFound):
		return nil, err
	}
	return p, nil
}

// recordPrint writes the turn's print with its effects (the transactional
// path; the hot path's journal carries it).
func recordPrint(ctx context.Context, tx Tx, p *MessagePrint) error {
	if pr, ok := tx.(printRecorder); ok && p != nil {
		return pr.RecordPrint(ctx, *p)
	}
	return nil
}

// turnTime is when a turn happens: an archived message at the time it was
// said (never later than now), anything else when it is handled.
func turnTime(ev bot.Event, now time.Time) time.Time {
	if ev.Channel == bot.ChannelArchive && !ev.At.IsZero() && ev.At.Before(now) {
		return ev.At
	}
	return now
}

// messagePlan is what a message turn runs: whether it is counted and which
// stages.
func (t *Turn) messagePlan() (count bool, stages []string) {
	paired := t.print != nil && t.print.Pairs != ""
	switch {
	case t.Event.Channel == bot.ChannelArchive && paired:
		return false, []string{} // the callback handled this message
	case t.Event.Channel == bot.ChannelArchive:
		return true, []string{"archive", "moderation", "points"}
	case paired:
		return false, []string{"commands", "replies"} // the archive copy counted it
	}
	return true, nil // every stage
}

// runArchiveGate ends the turn of an archived command: the member addressed
// the bot, whose callback runs the command; commands never earn points and
// are not moderated.
func runArchiveGate(_ context.Context, t *Turn) error {
	if _, _, ok := t.e.commands.match(t.Event.Text); ok {
		t.Done()
	}
	return nil
}

// handleRecall takes a recalled message out of the evidence it became.
func handleRecall(ctx context.Context, t *Turn) error {
	if r, ok := t.raw.(evidenceRedactor); ok && t.Event.Recalled != "" {
		return r.RedactEvidence(ctx, t.Event.ChatID, t.Event.Recalled, RecalledEvidence)
	}
	return nil
}
