package rules

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"sync"
)

// settingsCache holds each group's compiled settings until a /config change
// (here or on another replica) invalidates them.
type settingsCache struct {
	log      *slog.Logger
	defaults map[string]string
	groups   map[string]map[string]string

	mu       sync.RWMutex
	compiled map[string]*Settings
	// gen counts invalidations: settings compiled while one happened may
	// predate the change and are used for their turn but not cached.
	gen uint64
}

func newSettingsCache(defaults map[string]string, groups map[string]map[string]string) (*settingsCache, error) {
	c := &settingsCache{defaults: defaults, groups: groups, compiled: map[string]*Settings{}, log: slog.New(slog.DiscardHandler)}
	if err := validateLayers(defaults, groups); err != nil {
		return nil, err
	}
	return c, nil
}

// validateLayers compiles the YAML defaults and every YAML group, naming
// each bad key by its path in the file; a bad default is named once, not
// once per group.
func validateLayers(defaults map[string]string, groups map[string]map[string]string) error {
	var bad []SettingProblem
	inDefaults := map[SettingProblem]bool{}
	check := func(where string, layers Layers) {
		_, err := layers.Compile()
		for _, p := range problemsOf(err) {
			if where != "defaults" && inDefaults[p] {
				continue
			}
			if where == "defaults" {
				inDefaults[p] = true
			}
			bad = append(bad, SettingProblem{Key: where + "." + p.Key, Problem: p.Problem})
		}
	}
	check("defaults", Layers{defaults})
	for _, id := range slices.Sorted(maps.Keys(groups)) {
		check("groups."+id, Layers{defaults, groups[id]})
	}
	if len(bad) > 0 {
		return &SettingsError{Bad: bad}
	}
	return nil
}

// cached returns a group's compiled settings if they are cached.
func (c *settingsCache) cached(chatID string) (*Settings, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s, ok := c.compiled[chatID]
	return s, ok
}

func (c *settingsCache) get(ctx context.Context, g Groups, chatID string) (*Settings, error) {
	c.mu.RLock()
	s, ok := c.compiled[chatID]
	gen := c.gen
	c.mu.RUnlock()
	if ok {
		return s, nil
	}
	layers, err := c.layers(ctx, g, chatID)
	if err != nil {
		return nil, err
	}
	s, err = c.compile(chatID, layers)
	if err != nil {
		return nil, fmt.Errorf("rules: settings of %s: %w", chatID, err)
	}
	c.mu.Lock()
	if c.gen == gen {
		c.compiled[chatID] = s
	}
	c.mu.Unlock()
	return s, nil
}

// compile compiles a group's layers. A /config override stored before its
// key had today's checks (an out-of-range number, an over-long text) is
// left out and logged, so one old value cannot fail every turn of the group;
// the YAML layers were checked at start-up.
func (c *settingsCache) compile(chatID string, layers Layers) (*Settings, error) {
	s, err := layers.Compile()
	var se *SettingsError
	if err == nil || !errors.As(err, &se) || len(layers) < 3 {
		return s, err
	}
	overrides := maps.Clone(layers[len(layers)-1])
	for _, k := range se.Keys() {
		if v, ok := overrides[k]; ok {
			c.log.Warn("stored setting ignored", "chat_id", chatID, "key", k, "value", clip(v, 40, "…"), "err", err)
			delete(overrides, k)
		}
	}
	layers = append(layers[:len(layers)-1:len(layers)-1], overrides)
	return layers.Compile()
}

func (c *settingsCache) layers(ctx context.Context, g Groups, chatID string) (Layers, error) {
	overrides, err := g.SettingOverrides(ctx, chatID)
	if err != nil {
		return nil, fmt.Errorf("rules: overrides of %s: %w", chatID, err)
	}
	return Layers{c.defaults, c.groups[chatID], overrides}, nil
}

// invalidate drops one group's compiled settings, or every group's for "".
func (c *settingsCache) invalidate(chatID string) {
	c.mu.Lock()
	c.gen++
	if chatID == "" {
		clear(c.compiled)
	} else {
		delete(c.compiled, chatID)
	}
	c.mu.Unlock()
}

// configured reports whether the YAML file names chatID.
func (c *settingsCache) configured(chatID string) bool {
	_, ok := c.groups[chatID]
	return ok
}

// KnownGroups are the chat ids named in the YAML file.
func (e *Engine) KnownGroups() []string {
	ids := make([]string, 0, len(e.settings.groups))
	for id := range e.settings.groups {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
