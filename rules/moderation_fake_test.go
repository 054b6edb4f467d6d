package rules

import (
	"context"
	"sort"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// modFake is an in-memory store for moderation tests. It embeds Tx and
// Leaderboards so the methods other features add need not be written here;
// calling one panics (the tests switch message points off).
type modFake struct {
	Tx
	Leaderboards
	claimed    map[string]string
	members    map[string]Member
	admins     map[string]bool
	modlog     []ModEntry
	outbox     []bot.Action
	banwords   []Banword
	violations []Violation
	removals   []Removal
	windows    map[string]map[string]time.Time
	overrides  map[string]string
	activity   activityFake // stats_fake_test.go
	earned     int
}

func newModFake() *modFake {
	return &modFake{claimed: map[string]string{}, members: map[string]Member{}, admins: map[string]bool{},
		windows: map[string]map[string]time.Time{}, overrides: map[string]string{}}
}

func (f *modFake) Atomic(ctx context.Context, fn func(Tx) error) error { return fn(f) }

func (f *modFake) ClaimDelivery(_ context.Context, id string, _ time.Time) error {
	if _, ok := f.claimed[id]; ok {
		return ErrDuplicate
	}
	f.claimed[id] = ""
	return nil
}
func (f *modFake) SaveReply(_ context.Context, id, r string) error { f.claimed[id] = r; return nil }
func (f *modFake) StoredReply(_ context.Context, id string) (string, error) {
	return f.claimed[id], nil
}
func (f *modFake) EnsureGroup(context.Context, string, time.Time) error { return nil }
func (f *modFake) SettingOverrides(context.Context, string) (map[string]string, error) {
	return f.overrides, nil
}
func (f *modFake) SetSetting(_ context.Context, _, k, v, _ string, _ time.Time) error {
	f.overrides[k] = v
	return nil
}
func (f *modFake) IsGroupAdmin(_ context.Context, _, u string) (bool, error) { return f.admins[u], nil }
func (f *modFake) GroupAdmins(context.Context, string) ([]string, error) {
	var out []string
	for u := range f.admins {
		out = append(out, u)
	}
	sort.Strings(out)
	return out, nil
}
func (f *modFake) AddModlog(_ context.Context, e ModEntry) error {
	f.modlog = append(f.modlog, e)
	return nil
}
func (f *modFake) Enqueue(_ context.Context, _ time.Time, a ...bot.Action) error {
	f.outbox = append(f.outbox, a...)
	return nil
}
func (f *modFake) Member(_ context.Context, c, u string) (Member, error) {
	m, ok := f.members[c+"/"+u]
	if !ok {
		return Member{}, ErrNotFound
	}
	return m, nil
}
func (f *modFake) TouchMember(_ context.Context, c, u string, _ time.Time) error {
	if _, ok := f.members[c+"/"+u]; !ok {
		f.members[c+"/"+u] = Member{ChatID: c, UserID: u}
	}
	return nil
}
func (f *modFake) SaveMember(_ context.Context, m Member) error {
	f.members[m.ChatID+"/"+m.UserID] = m
	return nil
}
func (f *modFake) MembersNamed(context.Context, string, string) ([]Member, error) { return nil, nil }
func (f *modFake) Name(context.Context, string) (string, error)                   { return "", ErrNotFound }
func (f *modFake) UsersNamed(context.Context, string, int) ([]string, error)      { return nil, nil }

func (f *modFake) Banwords(_ context.Context, c string) ([]Banword, error) { return f.banwords, nil }
func (f *modFake) AddBanword(_ context.Context, b Banword, _ time.Time) (bool, error) {
	for _, x := range f.banwords {
		if x.Pattern == b.Pattern {
			return false, nil
		}
	}
	f.banwords = append(f.banwords, b)
	return true, nil
}
func (f *modFake) DelBanword(_ context.Context, _, p string) (bool, error) {
	for i, x := range f.banwords {
		if x.Pattern == p {
			f.banwords = append(f.banwords[:i], f.banwords[i+1:]...)
			return true, nil
		}
	}
	return false, nil
}
func (f *modFake) AddViolation(_ context.Context, v Violation) error {
	v.ID = int64(len(f.violations) + 1)
	f.violations = append(f.violations, v)
	return nil
}
func (f *modFake) ActiveViolations(_ context.Context, c, u string, since time.Time, shadow bool) ([]Violation, error) {
	var out []Violation
	for i := len(f.violations) - 1; i >= 0; i-- {
		v := f.violations[i]
		if v.ChatID == c && v.UserID == u && !v.At.Before(since) && v.Shadow == shadow && v.RevokedAt == nil {
			out = append(out, v)
		}
	}
	return out, nil
}
func (f *modFake) RevokeViolation(_ context.Context, id int64, _ string, at time.Time) error {
	f.violations[id-1].RevokedAt = &at
	return nil
}
func (f *modFake) AddRemoval(_ context.Context, r Removal) (int64, error) {
	r.ID = int64(len(f.removals) + 1)
	f.removals = append(f.removals, r)
	return r.ID, nil
}
func (f *modFake) Removal(_ context.Context, id int64) (Removal, error) {
	if id < 1 || int(id) > len(f.removals) {
		return Removal{}, ErrNotFound
	}
	return f.removals[id-1], nil
}
func (f *modFake) DecideRemoval(_ context.Context, id int64, d, who string, at time.Time) (bool, error) {
	r := &f.removals[id-1]
	if r.Decision != "" {
		return false, nil
	}
	r.Decision, r.Decider, r.DecidedAt = d, who, &at
	return true, nil
}

func (f *modFake) PublishSettingsChanged(context.Context, string) error { return nil }

// The fake caches no replies: every redelivery reaches its store.
func (f *modFake) CachedReply(context.Context, string) (string, bool, error) { return "", false, nil }
func (f *modFake) CacheReply(context.Context, string, string) error          { return nil }
func (f *modFake) HitWindow(_ context.Context, c, u, scope, id string, at time.Time, per time.Duration) (int, error) {
	key := c + "/" + u + "/" + scope
	if f.windows[key] == nil {
		f.windows[key] = map[string]time.Time{}
	}
	f.windows[key][id] = at
	n := 0
	for _, t := range f.windows[key] {
		if t.After(at.Add(-per)) {
			n++
		}
	}
	return n, nil
}
func (f *modFake) ClearWindow(_ context.Context, c, u, scope string) error {
	delete(f.windows, c+"/"+u+"/"+scope)
	return nil
}

// modlogActions lists the actions of the modlog rows, in order.
func (f *modFake) modlogActions() []string {
	out := make([]string, len(f.modlog))
	for i, e := range f.modlog {
		out[i] = e.Action
	}
	return out
}

func (f *modFake) GroupSeen(context.Context, string) (bool, error) { return true, nil }

// The ledger, as one number: every member's earnings (TestPointsCannotPassTheCap).
func (f *modFake) EarnedTotal(context.Context, string, string) (int, error) { return f.earned, nil }
func (f *modFake) LockPoints(context.Context, string, string) (int, error)  { return f.earned, nil }
func (f *modFake) AddEntry(_ context.Context, e LedgerEntry) (bool, error) {
	f.earned += e.Delta
	return true, nil
}
func (f *modFake) AddEarned(context.Context, string, string, int, []Board) error { return nil }
func (f *modFake) DropFromBoards(context.Context, string, string, []Board) error { return nil }
func (f *modFake) InvalidateBoards(context.Context, string, []Board) error       { return nil }
func (f *modFake) PeakEarned(context.Context, string, string, string) (int, error) {
	return 0, nil
}
