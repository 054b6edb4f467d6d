package rules

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/qunbot/qunbot/bot"
)

// remove takes a member out of the group the way INTERFACE.md section 5
// says: by appchat/update in groups the app created, otherwise by asking the
// owner and admins on a 移出/忽略 card and recording a pending removal.
func (t *Turn) remove(ctx context.Context, o offence) (string, error) {
	if t.Settings.Kind == KindAppChat {
		if err := t.removeFromAppChat(ctx, o.User); err != nil {
			return "", err
		}
		return sayOutcomeRemoved, t.modlog(ctx, ModRemove, o, o.Reason)
	}
	id, err := t.Tx.AddRemoval(ctx, Removal{
		ChatID: t.Event.ChatID, UserID: o.User, Reason: o.Reason, Evidence: o.Evidence, Actor: o.Actor, At: t.Now,
	})
	if err != nil {
		return "", err
	}
	staff, err := t.Staff(ctx)
	if err != nil {
		return "", err
	}
	if len(staff) > 0 {
		t.Do(bot.Action{Kind: bot.ActRemovalCard, ChatID: t.Event.ChatID, To: staff, Card: t.removalCard(ctx, id, o)})
	}
	return sayOutcomeAsked, t.modlog(ctx, ModRemoveRequested, o, o.Reason)
}

// removeFromAppChat queues the appchat/update call and records the member as removed.
func (t *Turn) removeFromAppChat(ctx context.Context, userID string) error {
	t.Do(bot.Action{Kind: bot.ActAppChatRemove, ChatID: t.Event.ChatID, Users: []string{userID}})
	m, err := t.member(ctx, userID)
	if err != nil {
		return err
	}
	now := t.Now
	m.LeftAt, m.Removed = &now, true
	t.offBoards(userID)
	return t.Tx.SaveMember(ctx, m)
}

func (t *Turn) removalCard(ctx context.Context, id int64, o offence) *bot.Card {
	evidence := []rune(o.Evidence)
	if len(evidence) > 60 {
		evidence = append(evidence[:60], '…')
	}
	return &bot.Card{
		TaskID: fmt.Sprintf("qunbot_rm_%d_%d", id, t.Now.Unix()),
		Title:  fmt.Sprintf(sayRemovalTitle, t.DisplayName(ctx, o.User)),
		Desc:   fmt.Sprintf(sayRemovalDesc, t.GroupName(), o.Reason, string(evidence)),
		Buttons: []bot.Button{
			{Text: sayRemovalButton, Key: fmt.Sprintf("%s:%d", DecisionRemove, id), Style: 1},
			{Text: sayIgnoreButton, Key: fmt.Sprintf("%s:%d", DecisionIgnore, id), Style: 2},
		},
	}
}

// parseRemovalKey reads a card button key "remove:<id>" or "ignore:<id>".
func parseRemovalKey(key string) (decision string, id int64, ok bool) {
	decision, num, found := strings.Cut(key, ":")
	if !found || (decision != DecisionRemove && decision != DecisionIgnore) {
		return "", 0, false
	}
	id, err := strconv.ParseInt(num, 10, 64)
	return decision, id, err == nil && id > 0
}

// handleCardClick settles a pending removal from the 移出/忽略 card and
// records who decided. Only the group's owner and admins may decide.
func handleCardClick(ctx context.Context, t *Turn) error {
	decision, id, ok := parseRemovalKey(t.Event.Card.EventKey)
	if !ok {
		return nil // not one of ours
	}
	r, err := t.Tx.Removal(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	t.Event.ChatID = r.ChatID // a card click does not name the group
	if err := t.enterGroup(ctx, r.ChatID); err != nil {
		return err
	}
	decider := t.Event.From
	o := offence{User: r.UserID, Reason: r.Reason, Evidence: r.Evidence, Actor: decider}
	if ok, err := t.IsAdmin(ctx, decider); err != nil || !ok {
		if err != nil {
			return err
		}
		return t.modlog(ctx, ModDenied, o, fmt.Sprintf(sayCardDenied, decision))
	}
	decided, err := t.Tx.DecideRemoval(ctx, id, decision, decider, t.Now)
	if err != nil || !decided {
		return err // already settled by someone else: the first click stands
	}
	if err := t.modlog(ctx, ModRemoveDecided, o, fmt.Sprintf(sayDecisionReason, decision, r.Reason)); err != nil {
		return err
	}
	if decision == DecisionRemove && t.Settings.Kind == KindAppChat {
		if err := t.removeFromAppChat(ctx, r.UserID); err != nil {
			return err
		}
		// a completed removal is said in the group, naming nobody to @
		if err := t.Post(ctx, fmt.Sprintf(sayRemovedPost, t.DisplayName(ctx, r.UserID))); err != nil {
			return err
		}
	}
	return t.TellStaff(ctx, t.decisionNotice(ctx, r, decision, decider))
}

// decisionNotice tells staff what was decided, and what qunbot could do.
func (t *Turn) decisionNotice(ctx context.Context, r Removal, decision, decider string) string {
	name, by := t.DisplayName(ctx, r.UserID), t.DisplayName(ctx, decider)
	switch {
	case decision == DecisionIgnore:
		return fmt.Sprintf(sayDecidedIgnore, by, name, r.Reason)
	case t.Settings.Kind == KindAppChat:
		return fmt.Sprintf(sayDecidedRemoved, by, name, r.Reason)
	}
	return fmt.Sprintf(sayDecidedManual, by, name, r.Reason, name)
}
