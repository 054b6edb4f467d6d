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

// adminCache keeps each group's admins added with /admin add. A change (on
// any replica) reaches it the way a settings change does: runAdmin marks the
// group's settings changed, and InvalidateSettings drops the group here too.
type adminCache struct {
	mu   sync.RWMutex
	sets map[string]map[string]bool
	gen  uint64 // counts invalidations; a set read across one is not kept
}

func (c *adminCache) isAdmin(ctx context.Context, r Admins, chatID, userID string) (bool, error) {
	c.mu.RLock()
	set, ok := c.sets[chatID]
	gen := c.gen
	c.mu.RUnlock()
	if ok {
		return set[userID], nil
	}
	list, err := r.GroupAdmins(ctx, chatID)
	if err != nil {
		return false, err
	}
	set = make(map[string]bool, len(list))
	for _, u := range list {
		set[u] = true
	}
	c.mu.Lock()
	if c.gen == gen {
		if c.sets == nil {
			c.sets = map[string]map[string]bool{}
		}
		c.sets[chatID] = set
	}
	c.mu.Unlock()
	return set[userID], nil
}

func (c *adminCache) invalidate(chatID string) {
	c.mu.Lock()
	c.gen++
	if chatID == "" {
		clear(c.sets)
	} else {
		delete(c.sets, chatID)
	}
	c.mu.Unlock()
}
