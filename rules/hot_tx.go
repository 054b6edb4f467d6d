package rules

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// hotTx is a hot turn's Tx (hot.go): the speaker's state read at the start
// of the turn, the turn's own writes on top of it, and the journal those
// writes go to. Only the speaker's state is served; a write about anyone
// else sends the turn to the transactional path.
type hotTx struct {
	hotReads
	refuseWrites
	e     *Engine
	chat  string // the turn's group
	user  string // the speaker
	state MemberState
	j     *Journal
	// undo gives back what the turn reserved in Redis, if it is dropped.
	undo []func(ctx context.Context)
	// pre is the slot BeginTurn reserved for the points stage, if any.
	pre  *preReserved
	turn *Turn // the turn this Tx serves
}

// preReserved is a message-points slot reserved before the turn decided.
type preReserved struct {
	slot    MessageSlot
	granted bool
	meter   Meter
	used    bool
}

var _ Tx = (*hotTx)(nil)

func (e *Engine) newHotTx(start TurnStart, begun TurnBegun, at time.Time) *hotTx {
	h := &hotTx{
		hotReads: e.reader, e: e, chat: start.ChatID, user: start.UserID, state: begun.State,
		j: &Journal{EventID: start.EventID, At: at},
	}
	seen := begun.State.Meter
	if start.Slot != nil && begun.Reserved {
		h.pre = &preReserved{slot: *start.Slot, granted: begun.Granted, meter: begun.Meter}
		if begun.Granted {
			h.onDrop(start.Slot.ChatID, start.Slot.UserID, begun.Meter, begun.State.Meter)
		}
		seen = begun.Meter
	}
	e.meters.put(start.ChatID, start.UserID, seen)
	return h
}

// onDrop arranges for a reserved slot to be given back if the turn is dropped.
func (h *hotTx) onDrop(chatID, userID string, reserved, before Meter) {
	h.undo = append(h.undo, func(ctx context.Context) {
		h.e.hot.ReleaseMessageSlot(ctx, chatID, userID, reserved, before)
	})
}

// settle gives back a slot reserved up front that the turn did not use (a
// command, a violation, a muted member), before the turn is committed.
func (h *hotTx) settle(ctx context.Context) {
	if p := h.pre; p != nil && p.granted && !p.used {
		h.e.hot.ReleaseMessageSlot(ctx, p.slot.ChatID, p.slot.UserID, p.meter, h.state.Meter)
		h.undo = h.undo[1:] // the pre-reservation's undo comes first
		h.pre = nil
	}
}

func (h *hotTx) speaker(chatID, userID string) bool { return chatID == h.chat && userID == h.user }

// ClaimDelivery: the committer records the delivery with the journal.
func (h *hotTx) ClaimDelivery(context.Context, string, time.Time) error { return nil }

// SaveReply: the engine puts the reply in the journal.
func (h *hotTx) SaveReply(context.Context, string, string) error { return nil }

func (h *hotTx) EnsureGroup(_ context.Context, chatID string, _ time.Time) error {
	if !h.e.knownGroups.has(chatID) && !slices.Contains(h.j.Groups, chatID) {
		h.j.Groups = append(h.j.Groups, chatID)
	}
	return nil
}

func (h *hotTx) IsGroupAdmin(ctx context.Context, chatID, userID string) (bool, error) {
	if chatID != h.chat || h.turn.Settings == nil {
		return h.e.reader.IsGroupAdmin(ctx, chatID, userID)
	}
	admins, err := h.e.admins.get(ctx, h.turn, groupAdmins)
	return admins[userID], err
}

func (h *hotTx) Enqueue(_ context.Context, _ time.Time, actions ...bot.Action) error {
	h.j.Outbox = append(h.j.Outbox, actions...)
	return nil
}

func (h *hotTx) Member(ctx context.Context, chatID, userID string) (Member, error) {
	if !h.speaker(chatID, userID) {
		return h.e.reader.Member(ctx, chatID, userID)
	}
	if !h.state.Found {
		return Member{}, ErrNotFound
	}
	return h.state.Member, nil
}

func (h *hotTx) TouchMember(_ context.Context, chatID, userID string, at time.Time) error {
	if !h.speaker(chatID, userID) {
		return errSlowPath
	}
	if h.state.Found {
		return nil
	}
	h.j.member(chatID, userID).Touch = true
	h.state.Found = true
	h.state.Member = Member{ChatID: chatID, UserID: userID, JoinedAt: &at}
	return nil
}

func (h *hotTx) Name(ctx context.Context, userID string) (string, error) {
	return h.e.hot.CachedName(ctx, userID)
}

func (h *hotTx) Balance(ctx context.Context, chatID, userID string) (int, error) {
	if !h.speaker(chatID, userID) {
		return h.e.reader.Balance(ctx, chatID, userID)
	}
	return h.state.Points, nil
}

func (h *hotTx) EarnedTotal(ctx context.Context, chatID, userID string) (int, error) {
	if !h.speaker(chatID, userID) {
		return h.e.reader.EarnedTotal(ctx, chatID, userID)
	}
	return h.state.Earned, nil
}

func (h *hotTx) LastCheckin(_ context.Context, chatID, userID, day string) (Checkin, error) {
	s := h.state
	switch {
	case !h.speaker(chatID, userID) || s.CheckinDay > day:
		return Checkin{}, errSlowPath // an older check-in than the latest: in the database only
	case s.CheckinDay == "":
		return Checkin{}, ErrNotFound
	}
	return Checkin{ChatID: chatID, UserID: userID, Day: s.CheckinDay, Streak: s.CheckinStreak}, nil
}

func (h *hotTx) AddCheckin(_ context.Context, c Checkin) (bool, error) {
	if !h.speaker(c.ChatID, c.UserID) || c.Makeup || c.Day < h.state.CheckinDay {
		return false, errSlowPath
	}
	if c.Day == h.state.CheckinDay {
		return false, nil
	}
	h.j.Checkins = append(h.j.Checkins, c)
	h.j.member(c.ChatID, c.UserID).Checkin = &c
	h.state.CheckinDay, h.state.CheckinStreak = c.Day, c.Streak
	return true, nil
}

func (h *hotTx) AddEntry(_ context.Context, e LedgerEntry) (bool, error) {
	if !h.speaker(e.ChatID, e.UserID) {
		return false, errSlowPath
	}
	h.j.Ledger = append(h.j.Ledger, e)
	d := h.j.member(e.ChatID, e.UserID)
	d.Points += e.Delta
	h.state.Points += e.Delta
	if CountsTowardRank(e.Kind) {
		d.Earned += e.Delta
		h.state.Earned += e.Delta
	}
	return true, nil
}

func (h *hotTx) TakeMessageSlot(ctx context.Context, s MessageSlot) (bool, error) {
	if !h.speaker(s.ChatID, s.UserID) {
		return false, errSlowPath
	}
	var next Meter
	var granted bool
	if p := h.pre; p != nil && !p.used && p.slot == s {
		p.used = true
		next, granted = p.meter, p.granted
	} else if h.state.Meter.deniesSlot(s) {
		return false, nil // no need to ask (hot_meters.go)
	} else {
		var err error
		next, granted, err = h.e.hot.ReserveMessageSlot(ctx, s)
		if errors.Is(err, ErrConflict) {
			return false, errSlowPath // the copy is gone: the row's meter decides
		}
		if err != nil || !granted {
			return false, err
		}
		h.onDrop(s.ChatID, s.UserID, next, h.state.Meter)
	}
	if !granted {
		return false, nil
	}
	h.state.Meter = next
	h.j.member(s.ChatID, s.UserID).Meter = &next
	h.e.meters.put(s.ChatID, s.UserID, next)
	return true, nil
}

func (h *hotTx) CountMessage(_ context.Context, chatID, userID, day string, at time.Time) error {
	m := MessageCount{ChatID: chatID, UserID: userID, Day: day, At: at}
	if h.speaker(chatID, userID) {
		m.Seen = h.state.SpokeDay >= day
		if !m.Seen { // the row learns the day once
			h.j.member(chatID, userID).SpokeDay = day
			h.state.SpokeDay = day
		}
	}
	h.j.Messages = append(h.j.Messages, m)
	return nil
}

func (h *hotTx) AddDayCounts(_ context.Context, chatID, userID string, d DayCounts) error {
	h.j.Days = append(h.j.Days, DayDelta{ChatID: chatID, UserID: userID, Counts: d})
	return nil
}

// release undoes the turn's reservations, newest first.
func (h *hotTx) release(ctx context.Context) {
	for i := len(h.undo) - 1; i >= 0; i-- {
		h.undo[i](ctx)
	}
	h.undo = nil
}
