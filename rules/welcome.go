package rules

import (
	"context"
	"fmt"
	"strings"

	"github.com/qunbot/qunbot/bot"
)

// welcome greets every join in joins that is still present and not yet
// welcomed, in ONE post naming them all, and marks them welcomed in the same
// turn, so a join is welcomed exactly once.
func welcome(ctx context.Context, t *Turn, joins []Join) error {
	var due []Join
	for _, j := range joins {
		if !j.Welcomed && j.LeftAt == nil {
			due = append(due, j)
		}
	}
	if err := greet(ctx, t, due); err != nil {
		return err
	}
	for _, j := range due {
		j.Welcomed = true
		if err := t.Tx.SaveJoin(ctx, j); err != nil {
			return err
		}
	}
	return nil
}

// greet posts one welcome naming every join in due, unless the welcome is off.
func greet(ctx context.Context, t *Turn, due []Join) error {
	if len(due) == 0 || t.Settings.Welcome == "" {
		return nil
	}
	return postWelcome(ctx, t, t.Settings.Welcome, due)
}

func postWelcome(ctx context.Context, t *Turn, template string, due []Join) error {
	names := make([]string, len(due))
	users := make([]string, len(due))
	quiz := false
	for i, j := range due {
		users[i], names[i] = j.UserID, t.DisplayName(ctx, j.UserID)
		quiz = quiz || j.Quiz == QuizPending
	}
	text := t.Fill(template, strings.Join(names, "、"))
	if q := t.Settings.Quiz; quiz && q.Question != "" {
		text += fmt.Sprintf(sayWelcomeQuiz, q.Question, SayDuration(q.Timeout))
	}
	if err := t.Post(ctx, text, users...); err != nil {
		return err
	}
	keepWelcomeTemplate(t, template)
	return nil
}

// keepWelcomeTemplate keeps an external group's welcome as the WeCom group
// welcome template, which WeCom itself posts on join (%NICKNAME% is the
// newcomer); "" or "off" withdraws it. The outbox worker edits the group's
// one template (or adds it the first time, or calls nothing when the text
// is the same), so a group never holds two.
func keepWelcomeTemplate(t *Turn, template string) {
	if t.Settings.Kind != KindExternal || !t.e.apiEnabled {
		return
	}
	if template == "" || template == "off" {
		t.Do(bot.Action{Kind: bot.ActWelcomeTemplateDel, ChatID: t.Event.ChatID})
		return
	}
	t.Do(bot.Action{Kind: bot.ActWelcomeTemplate, ChatID: t.Event.ChatID, Text: t.Fill(template, "%NICKNAME%")})
}

const welcomeUsage = sayUseWelcome

var welcomeCommand = &Command{
	Name: "welcome", Aliases: []string{"欢迎语"}, Usage: welcomeUsage,
	Summary: sayAboutWelcome, Role: RoleAdmin, Run: runWelcome,
}

// runWelcome changes the welcome setting the way /config welcome would.
func runWelcome(ctx context.Context, t *Turn, a Args) (string, error) {
	if a.Raw == "" {
		if t.Settings.Welcome == "" {
			return fmt.Sprintf(sayWelcomeOff, welcomeUsage), nil
		}
		return fmt.Sprintf(sayWelcomeShow, t.Settings.Welcome, welcomeUsage), nil
	}
	value := a.Raw
	if strings.EqualFold(value, "off") || value == "关闭" {
		value = "off"
	}
	if err := checkLen(sayFieldWelcome, value, MaxWelcomeLen); err != nil {
		return "", err
	}
	if err := t.Tx.SetSetting(ctx, t.Event.ChatID, "welcome", value, t.Event.From, t.Now); err != nil {
		return "", err
	}
	t.settingsDirty(t.Event.ChatID)
	keepWelcomeTemplate(t, value)
	if value == "off" {
		return sayWelcomeClose, nil
	}
	return fmt.Sprintf(sayWelcomeDone, t.Fill(value, t.DisplayName(ctx, t.Event.From))), nil
}
