package rules

import (
	"context"
	"hash/maphash"
	"sync"
)

// stripes serialize the turns of one member within the process: a member's
// second message waits for the first to be committed, so it decides from
// what the first one did. Members hash onto a fixed set of locks; two members
// sharing one only wait for each other.
type stripes struct {
	seed  maphash.Seed
	locks [1024]sync.Mutex
}

func newStripes() *stripes { return &stripes{seed: maphash.MakeSeed()} }

// lock takes the member's stripe and returns its unlock.
func (s *stripes) lock(chatID, userID string) func() {
	var h maphash.Hash
	h.SetSeed(s.seed)
	h.WriteString(chatID)
	h.WriteByte(0)
	h.WriteString(userID)
	m := &s.locks[h.Sum64()%uint64(len(s.locks))]
	m.Lock()
	return m.Unlock
}

// groupSet remembers the groups known to be recorded, so a hot turn in a
// group seen before writes nothing for it.
type groupSet struct{ m sync.Map }

func (g *groupSet) has(chatID string) bool { _, ok := g.m.Load(chatID); return ok }
func (g *groupSet) add(chatIDs ...string) {
	for _, id := range chatIDs {
		g.m.Store(id, struct{}{})
	}
}

// groupAdmins are a group's admins added with /admin add, as a set, for
// the hot path's cache of them (Engine.admins): runAdmin marks the group's
// settings changed, so a change (on any replica) rebuilds it.
func groupAdmins(ctx context.Context, t *Turn) (map[string]bool, error) {
	list, err := t.e.reader.GroupAdmins(ctx, t.Event.ChatID)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(list))
	for _, u := range list {
		set[u] = true
	}
	return set, nil
}
