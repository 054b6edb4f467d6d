package bot

import (
	"context"
	"errors"
)

// Deliver executes one outbox action. ActReply never reaches the outbox and
// is refused. Errors tell retryable from permanent through Permanent(err).
func (c *Client) Deliver(ctx context.Context, a Action) (Result, error) {
	switch a.Kind {
	case ActAppChatSend:
		return Result{}, c.AppChatSend(ctx, a.ChatID, a.Text)
	case ActWebhookSend:
		return Result{}, c.WebhookSend(ctx, a.WebhookKey, a.Text, a.Mentions)
	case ActAppMessage:
		return Result{}, c.SendText(ctx, a.To, a.Text)
	case ActRemovalCard:
		if a.Card == nil {
			return Result{}, permanent("bot: deliver %s: no card", a.Kind)
		}
		return Result{}, c.SendCard(ctx, a.To, *a.Card)
	case ActAppChatRemove:
		return Result{}, c.AppChatRemove(ctx, a.ChatID, a.Users)
	case ActWelcomeTemplate:
		id, err := c.WelcomeTemplate(ctx, a.TemplateID, a.Text)
		return Result{TemplateID: id}, err
	case ActWelcomeTemplateDel:
		return Result{}, c.DelWelcomeTemplate(ctx, a.TemplateID)
	case ActResponseURL:
		return Result{}, c.RespondURL(ctx, a.URL, a.Text)
	case ActFetchUser:
		return c.fetchUsers(ctx, a.Users)
	case ActFetchGroup:
		return c.fetchGroup(ctx, a)
	}
	return Result{}, permanent("bot: deliver: action kind %q cannot be delivered", a.Kind)
}

// fetchUsers looks up each user. A user WeCom permanently refuses (left the
// corp, an external id) is skipped; a temporary failure fails the action so
// the outbox retries it.
func (c *Client) fetchUsers(ctx context.Context, users []string) (Result, error) {
	if len(users) == 0 {
		return Result{}, permanent("bot: deliver %s: no users", ActFetchUser)
	}
	res := Result{Names: map[string]string{}}
	var skipped error
	for _, u := range users {
		name, err := c.GetUser(ctx, u)
		switch {
		case err == nil:
			res.Names[u] = name
		case Permanent(err) && !errors.Is(err, ErrAPIDisabled):
			skipped = err
		default:
			return res, err
		}
	}
	if len(res.Names) == 0 {
		return res, skipped
	}
	return res, nil
}

func (c *Client) fetchGroup(ctx context.Context, a Action) (Result, error) {
	var g *GroupInfo
	var err error
	if a.GroupKind == "appchat" {
		g, err = c.AppChatGet(ctx, a.ChatID)
	} else {
		g, err = c.GroupChatGet(ctx, a.ChatID)
	}
	return Result{Group: g}, err
}
