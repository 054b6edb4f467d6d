package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/qunbot/qunbot/bot"
	"github.com/qunbot/qunbot/rules"
)

// The sim shows what a real tenant would do: it keeps each group's member
// list in the fake WeCom, refuses what WeCom would not deliver, and says what
// happened when a click or a join changes nothing visible.

// members is the fake WeCom's member list of a group.
func (s *simulation) members(chat string) (bot.GroupInfo, bool) { return s.api.Group(chat) }

func isMember(g bot.GroupInfo, user string) bool {
	return slices.ContainsFunc(g.Members, func(m bot.GroupMember) bool { return m.UserID == user })
}

// present refuses a message from someone who is not in the group: WeCom
// delivers nothing from a member who left or was removed.
func (s *simulation) present(user, chat string) error {
	g, ok := s.members(chat)
	if !ok || isMember(g, user) {
		return nil
	}
	return fmt.Errorf("%s is not in %s (never joined, left or was removed): WeCom delivers nothing %s says there; \"join %s\" adds them",
		user, chat, user, user)
}

// canChange refuses a join of a member or a leave of a non-member: WeCom
// sends no such event.
func (s *simulation) canChange(join bool, users []string) error {
	g, ok := s.members(s.chat)
	if !ok {
		return nil
	}
	for _, u := range users {
		switch in := isMember(g, u); {
		case join && in:
			return fmt.Errorf("%s is in %s already: WeCom sends no join for a member", u, s.chat)
		case !join && !in:
			return fmt.Errorf("%s is not in %s: there is nobody to leave", u, s.chat)
		}
	}
	return nil
}

// sayStrangers names the joiners the address book does not know: WeCom
// gives qunbot no name for them.
func (s *simulation) sayStrangers(users []string) {
	for _, u := range users {
		if simName(u) == "" {
			fmt.Fprintf(s.out, "  · %s is not in the address book: WeCom tells qunbot no name, so it calls them %s\n", u, u)
		}
	}
}

// clickBefore is what a card click may change, read before it.
type clickBefore struct {
	removal rules.Removal
	found   bool
	lastMod int64 // the newest modlog entry of the removal's group
}

// removalOf reads the removal a card button's key ("remove:12") names.
func (s *simulation) removalOf(ctx context.Context, key string) (rules.Removal, bool) {
	_, num, _ := strings.Cut(key, ":")
	id, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return rules.Removal{}, false
	}
	r, err := s.app.store.Removal(ctx, id)
	return r, err == nil
}

func (s *simulation) newestMod(ctx context.Context, chat string) (rules.ModEntry, bool) {
	entries, err := s.app.engine.Modlog(ctx, chat, 1)
	if err != nil || len(entries) == 0 {
		return rules.ModEntry{}, false
	}
	return entries[0], true
}

func (s *simulation) beforeClick(ctx context.Context, key string) clickBefore {
	var b clickBefore
	if b.removal, b.found = s.removalOf(ctx, key); b.found {
		m, _ := s.newestMod(ctx, b.removal.ChatID)
		b.lastMod = m.ID
	}
	return b
}

// explainClick says what a click did when WeCom would show nothing: a click
// by someone who may not decide, on a settled card, or on no card at all.
// A decision shows itself (the notices that follow).
func (s *simulation) explainClick(ctx context.Context, key string, b clickBefore) {
	if !b.found {
		fmt.Fprintf(s.out, "  · no card has the button %s: the click changed nothing\n", key)
		return
	}
	r := b.removal
	settled := ""
	if r.Decision != "" {
		settled = fmt.Sprintf("the card was settled already: %s chose %s", nameOrID(r.Decider), decisionWords[r.Decision])
	}
	m, ok := s.newestMod(ctx, r.ChatID)
	denied := ok && m.ID > b.lastMod && m.Action == rules.ModDenied && m.Actor == s.user
	switch {
	case denied && settled == "":
		fmt.Fprintf(s.out, "  · %s is neither the owner nor an admin of %s: the click was refused and logged (modlog: denied); the removal is still pending\n",
			s.user, r.ChatID)
	case denied:
		fmt.Fprintf(s.out, "  · %s is neither the owner nor an admin of %s: the click was refused and logged (modlog: denied); %s\n",
			s.user, r.ChatID, settled)
	case settled != "":
		fmt.Fprintf(s.out, "  · %s; this click changed nothing\n", settled)
	}
}

var decisionWords = map[string]string{rules.DecisionRemove: "移出", rules.DecisionIgnore: "忽略"}

func nameOrID(userID string) string {
	if n := simName(userID); n != "" {
		return n
	}
	return userID
}

// simGroupsFile keeps the fake WeCom's member lists in a -data folder, so a
// later run agrees with what the bot remembers of who is in which group.
const simGroupsFile = "sim-groups.json"

func (s *simulation) loadGroups() map[string]bot.GroupInfo {
	saved := map[string]bot.GroupInfo{}
	if b, err := os.ReadFile(filepath.Join(s.dataDir, simGroupsFile)); err == nil {
		if err := json.Unmarshal(b, &saved); err != nil {
			fmt.Fprintf(s.out, "  ⚠ %s: %v; starting from the usual members\n", simGroupsFile, err)
		}
	}
	return saved
}

func (s *simulation) saveGroups() {
	if s.tmp != "" {
		return // the folder goes away
	}
	groups := map[string]bot.GroupInfo{}
	for _, id := range simGroupIDs {
		if g, ok := s.api.Group(id); ok {
			groups[id] = g
		}
	}
	b, err := json.MarshalIndent(groups, "", "  ")
	if err == nil {
		err = os.WriteFile(filepath.Join(s.dataDir, simGroupsFile), b, 0o600)
	}
	if err != nil {
		fmt.Fprintf(s.out, "  ⚠ keep the member lists: %v\n", err)
	}
}
