package rules

import (
	"context"
	"errors"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// welcomeWindow is how long a join waits before it is welcomed, so that
// members arriving together are greeted in one message. The wait is the
// delayed groupchat/get read-back the join queues anyway to learn the
// inviter; its snapshot posts the welcome.
const welcomeWindow = 5 * time.Second

// handleMemberJoin records each newcomer (joined_at, scene, probation, a
// pending quiz), queues the read-back that learns their names and inviters
// and welcomes them, or, when the WeCom API is off, welcomes them at once.
func handleMemberJoin(ctx context.Context, t *Turn) error {
	if _, err := checkMemVersion(ctx, t); err != nil {
		return err
	}
	open, err := t.Tx.OpenJoins(ctx, t.Event.ChatID)
	if err != nil {
		return err
	}
	var fresh []Join
	for _, u := range t.Event.Member.UserIDs {
		j, added, err := recordJoin(ctx, t, u)
		if err != nil {
			return err
		}
		if added {
			fresh = append(fresh, j)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	if !t.e.apiEnabled {
		return greet(ctx, t, fresh) // recorded as welcomed: nothing to wait for
	}
	if err := learnNames(ctx, t, fresh); err != nil {
		return err
	}
	if batchInFlight(open, t.Now) {
		return nil
	}
	return fetchGroup(ctx, t, t.Now.Add(welcomeWindow))
}

// learnNames asks the address book for newcomers' names now, so they are
// known when the welcome goes out. Customer groups are skipped: their
// read-back (groupchat/get) names external contacts itself.
func learnNames(ctx context.Context, t *Turn, joins []Join) error {
	if t.Settings.Kind == KindExternal {
		return nil
	}
	var unknown []string
	for _, j := range joins {
		if _, err := t.Tx.Name(ctx, j.UserID); errors.Is(err, ErrNotFound) {
			unknown = append(unknown, j.UserID)
		} else if err != nil {
			return err
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	// queued now, ahead of the delayed read-back that posts the welcome
	return t.Tx.Enqueue(ctx, t.Now, bot.Action{Kind: bot.ActFetchUser, ChatID: t.Event.ChatID, Users: unknown})
}

// batchInFlight reports whether a join within the window already queued the
// read-back that will welcome this one too.
func batchInFlight(open []Join, now time.Time) bool {
	for _, j := range open {
		if !j.Welcomed && j.JoinedAt.After(now.Add(-welcomeWindow)) {
			return true
		}
	}
	return false
}

// recordJoin writes the Join and the member's record of it. A join event
// for someone already in the group is not a join: nothing is recorded.
func recordJoin(ctx context.Context, t *Turn, userID string) (Join, bool, error) {
	ev := t.Event
	if current, err := alreadyIn(ctx, t, userID); err != nil || current {
		return Join{}, false, err
	}
	j := Join{ChatID: ev.ChatID, UserID: userID, EventID: ev.ID, JoinedAt: ev.At,
		Scene: ev.Member.JoinScene, InviterKnown: !t.e.apiEnabled, Welcomed: !t.e.apiEnabled}
	if q := t.Settings.Quiz; q.Question != "" {
		due := ev.At.Add(q.Timeout)
		j.Quiz, j.QuizDue = QuizPending, &due
	}
	added, err := t.Tx.AddJoin(ctx, j)
	if err != nil || !added {
		return j, false, err
	}
	m, err := t.Tx.Member(ctx, ev.ChatID, userID)
	if errors.Is(err, ErrNotFound) {
		m, err = Member{ChatID: ev.ChatID, UserID: userID}, nil
	}
	if err != nil {
		return j, false, err
	}
	if m.LeftAt != nil {
		t.backOnBoards()
	}
	setJoined(&m, t.Settings, ev.At, ev.Member.JoinScene, "")
	return j, true, t.Tx.SaveMember(ctx, m)
}

// alreadyIn reports whether userID is in the group already at the join
// event's time: their last join has not ended, or they were present well
// before it (seen speaking, or in a read member list). Someone first seen
// around the event's time is taken to be this join (their message may have
// been handled before the event).
func alreadyIn(ctx context.Context, t *Turn, userID string) (bool, error) {
	at := t.Event.At
	j, err := t.Tx.LatestJoin(ctx, t.Event.ChatID, userID)
	switch {
	case err == nil && j.LeftAt == nil && j.EventID != t.Event.ID:
		return true, nil
	case err != nil && !errors.Is(err, ErrNotFound):
		return false, err
	}
	m, err := t.Tx.Member(ctx, t.Event.ChatID, userID)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return m.LeftAt == nil && m.JoinedAt != nil && m.JoinedAt.Before(at.Add(-reconcileGrace)), nil
}

// setJoined marks m as present since at, on probation from then.
func setJoined(m *Member, s *Settings, at time.Time, scene int, inviter string) {
	m.JoinedAt, m.JoinScene, m.Inviter = &at, scene, inviter
	m.LeftAt, m.Removed, m.ProbationUntil = nil, false, nil
	if s.Probation > 0 {
		until := at.Add(s.Probation)
		m.ProbationUntil = &until
	}
}

// checkMemVersion stores the event's CurMemVer and reports whether its
// LastMemVer shows an event was missed; then the member list is read again
// (the snapshot reconciles it). A join's own read-back does that anyway.
func checkMemVersion(ctx context.Context, t *Turn) (missed bool, err error) {
	mc := t.Event.Member
	if mc.CurMemVer == "" {
		return false, nil
	}
	stored, err := t.Tx.MemVersion(ctx, t.Event.ChatID)
	if err != nil {
		return false, err
	}
	if err := t.Tx.SetMemVersion(ctx, t.Event.ChatID, mc.CurMemVer, t.Now); err != nil {
		return false, err
	}
	return stored != "" && mc.LastMemVer != "" && mc.LastMemVer != stored, nil
}

// fetchGroup queues a read-back of the group's member list, delivered at.
func fetchGroup(ctx context.Context, t *Turn, at time.Time) error {
	if !t.e.apiEnabled {
		return nil
	}
	fetch := bot.Action{Kind: bot.ActFetchGroup, ChatID: t.Event.ChatID, GroupKind: t.Settings.Kind}
	return t.Tx.Enqueue(ctx, at, fetch)
}
