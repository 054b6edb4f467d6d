package rules

import (
	"context"
	"errors"
	"time"
)

// The activity roll-ups are written inside the turn that causes them, in its
// transaction: a redelivery is refused by the delivery claim before it can
// count anything, and a turn that fails counts nothing. Messages are counted
// by countMessage at the head of the message path; check-ins, joins and
// leaves by statsTx, at the one place each is written.

// statsTx wraps the turn's Tx so that every check-in written and every
// member who comes or goes, whichever handler records it (a join or leave
// event, a read-back that reconciles the member list), is counted once.
type statsTx struct {
	Tx
	t *Turn
}

// withStats wraps the turn's Tx; the engine calls it once per turn.
func withStats(t *Turn) Tx {
	if s, ok := t.Tx.(statsTx); ok {
		return s
	}
	return statsTx{Tx: t.Tx, t: t}
}

// countMessage counts a member's group message on the turn's day: anything
// they say, member commands such as 签到 included. Staff commands (/warn,
// /stats, /config ...) and /in commands from the 1:1 chat operate the bot and
// are not group activity.
func countMessage(ctx context.Context, t *Turn) error {
	ev := t.Event
	if ev.ChatID == "" || ev.From == "" || t.Direct {
		return nil
	}
	if c, _, ok := t.e.commands.match(ev.Text); ok && c.Role > RoleMember {
		return nil
	}
	return t.Tx.CountMessage(ctx, ev.ChatID, ev.From, t.Day(), t.Now)
}

// AddCheckin counts a new check-in of the day (a 补签 makes up a past day
// and is not activity).
func (s statsTx) AddCheckin(ctx context.Context, c Checkin) (bool, error) {
	added, err := s.Tx.AddCheckin(ctx, c)
	if err != nil || !added || c.Makeup {
		return added, err
	}
	return true, s.Tx.AddDayCounts(ctx, c.ChatID, c.UserID, DayCounts{Day: c.Day, Checkins: 1})
}

// SaveMember counts a join when m comes into the group and a leave when m
// goes, on the local day it happened. A member first heard of by leaving
// was in the group; saving a member who stays in or stays out counts nothing.
func (s statsTx) SaveMember(ctx context.Context, m Member) error {
	before, err := s.Tx.Member(ctx, m.ChatID, m.UserID)
	known := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if err := s.Tx.SaveMember(ctx, m); err != nil {
		return err
	}
	wasIn, isIn := !known || before.LeftAt == nil, m.LeftAt == nil
	wasOut := !known || before.LeftAt != nil
	switch {
	case isIn && wasOut:
		return s.count(ctx, m, m.JoinedAt, DayCounts{Joins: 1})
	case !isIn && wasIn:
		return s.count(ctx, m, m.LeftAt, DayCounts{Leaves: 1})
	}
	return nil
}

// count adds d on the local day of at (the turn's time when unknown).
func (s statsTx) count(ctx context.Context, m Member, at *time.Time, d DayCounts) error {
	when := s.t.Now
	if at != nil {
		when = *at
	}
	d.Day = when.In(s.t.e.loc).Format(time.DateOnly)
	return s.Tx.AddDayCounts(ctx, m.ChatID, m.UserID, d)
}
