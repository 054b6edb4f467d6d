package rules

import (
	"context"
	"errors"
	"slices"
	"time"
)

// Roster reads a group's members a page at a time with everything the
// member views show, in a fixed number of statements per page whatever its
// size, so a list of any length is read in bounded memory. It joins Tx.
type Roster interface {
	RosterPage(ctx context.Context, chatID string, q RosterQuery) ([]RosterRow, error)
}

// RosterQuery selects a page: the members whose userid sorts after After
// (by userid), at most Limit; or just UserID.
type RosterQuery struct {
	UserID string
	After  string
	Limit  int
	// Today is the local day the view is of: the last check-in and the last
	// day spoken on or before it.
	Today string
	// RecentFrom starts the window Recent counts messages in (to Today).
	RecentFrom string
	// WarnSince: unrevoked, real violations at or after it are active warnings.
	WarnSince time.Time
}

// RosterRow is one member with their points, check-ins, warnings and activity.
type RosterRow struct {
	Member
	Balance       int
	Earned        int     // what counts toward the level (no spending)
	LastCheckin   Checkin // Day "" when never
	Warnings      int
	LastDay       string // the last local day they spoke on; "" never
	LastMessageAt *time.Time
	Recent        int // messages from RecentFrom to Today
}

// rosterPage is how many members one page of the member list reads.
const rosterPage = 500

// MemberFilter narrows the member list; the zero value is every member the
// bot knows in the group (past members too), by userid.
type MemberFilter struct {
	Segment string // only this segment
	Limit   int    // at most this many; 0 is all
}

// Member shows one member of one group; ErrNotFound for one never seen.
func (e *Engine) Member(ctx context.Context, chatID, userID string) (MemberView, error) {
	var out *MemberView
	err := e.eachMember(ctx, chatID, RosterQuery{UserID: userID, Limit: 1}, func(v MemberView) error {
		out = &v
		return nil
	})
	if err != nil {
		return MemberView{}, err
	}
	if out == nil {
		return MemberView{}, ErrNotFound
	}
	return *out, nil
}

// Members calls fn with each member of the group that f selects, by userid,
// reading a page at a time: the member list API streams them as they come.
func (e *Engine) Members(ctx context.Context, chatID string, f MemberFilter, fn func(MemberView) error) error {
	n := 0
	errEnough := errors.New("enough")
	err := e.eachMember(ctx, chatID, RosterQuery{Limit: rosterPage}, func(v MemberView) error {
		if f.Segment != "" && v.Segment != f.Segment {
			return nil
		}
		if err := fn(v); err != nil {
			return err
		}
		if n++; f.Limit > 0 && n >= f.Limit {
			return errEnough
		}
		return nil
	})
	if errors.Is(err, errEnough) {
		return nil
	}
	return err
}

// eachMember pages through the roster from q and turns each row into the view.
func (e *Engine) eachMember(ctx context.Context, chatID string, q RosterQuery, fn func(MemberView) error) error {
	s, err := e.settings.get(ctx, e.store, chatID)
	if err != nil {
		return err
	}
	admins, err := e.store.GroupAdmins(ctx, chatID)
	if err != nil {
		return err
	}
	now := e.now()
	q.Today = now.In(e.loc).Format(time.DateOnly)
	q.RecentFrom, q.WarnSince = s.highValueFrom(q.Today), activeSince(s, now)
	cuts := s.cutsOn(e.loc, q.Today)
	for {
		rows, err := e.store.RosterPage(ctx, chatID, q)
		if err != nil {
			return err
		}
		for _, r := range rows {
			v := e.memberView(s, cuts, r, now)
			v.IsAdmin = e.globalAdmins[r.UserID] || (s.Owner != "" && s.Owner == r.UserID) || slices.Contains(admins, r.UserID)
			if err := fn(v); err != nil {
				return err
			}
		}
		if q.UserID != "" || len(rows) < q.Limit {
			return nil
		}
		q.After = rows[len(rows)-1].UserID
	}
}

// memberView is the view of one roster row on cuts.Day (today).
func (e *Engine) memberView(s *Settings, cuts SegmentCuts, r RosterRow, now time.Time) MemberView {
	today := cuts.Day
	m := r.Member
	v := MemberView{
		UserID: m.UserID, Name: m.Name, Points: r.Balance, JoinedAt: m.JoinedAt, ProbationUntil: m.ProbationUntil,
		LeftAt: m.LeftAt, Inviter: m.Inviter, MutedUntil: m.MutedUntil, Warnings: r.Warnings,
		LastCheckinDay: r.LastCheckin.Day, LastMessageAt: r.LastMessageAt,
	}
	if v.MutedUntil != nil && !v.MutedUntil.After(now) {
		v.MutedUntil = nil // a mute that has ended is not shown
	}
	v.Level, v.Title = s.LevelFor(r.Earned)
	if d := r.LastCheckin.Day; d == today || d == prevDay(today) {
		v.CheckinStreak = r.LastCheckin.Streak // the streak still alive
	}
	v.Segment = cuts.segmentOf(MemberActivity{UserID: m.UserID, Left: m.LeftAt != nil,
		JoinedAt: m.JoinedAt, LastDay: r.LastDay, Recent: r.Recent})
	return v
}
