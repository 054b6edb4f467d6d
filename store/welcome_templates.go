package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/qunbot/qunbot/bot"
)

type welcomeTemplateRow struct {
	ChatID     string `gorm:"primaryKey"`
	TemplateID string
	Text       string
	UpdatedAt  time.Time
}

func (welcomeTemplateRow) TableName() string { return "welcome_templates" }

// deliverTemplate keeps an external group's welcome template in step with
// its welcome text: the first text adds a template, a new text edits it, the
// same text again calls nothing, and a withdrawal deletes it. What WeCom
// holds is recorded per group, so any replica (or a restart) edits the same
// template instead of adding another: WeCom allows 100 per corp.
func (w *Worker) deliverTemplate(ctx context.Context, a bot.Action) (bot.Result, error) {
	var row welcomeTemplateRow
	err := w.s.q(ctx).Where("chat_id = ?", a.ChatID).Take(&row).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return bot.Result{}, fmt.Errorf("store: welcome template of %s: %w", a.ChatID, err)
	}
	a.TemplateID = row.TemplateID
	switch {
	case a.Kind == bot.ActWelcomeTemplateDel && row.TemplateID == "":
		return bot.Result{}, nil // nothing kept, nothing to withdraw
	case a.Kind == bot.ActWelcomeTemplate && row.TemplateID != "" && row.Text == a.Text:
		return bot.Result{TemplateID: row.TemplateID}, nil
	}
	res, err := w.o.Sender.Deliver(ctx, a)
	if err != nil {
		return res, err
	}
	if a.Kind == bot.ActWelcomeTemplateDel {
		err = w.s.q(ctx).Where("chat_id = ?", a.ChatID).Delete(&welcomeTemplateRow{}).Error
	} else {
		kept := welcomeTemplateRow{ChatID: a.ChatID, TemplateID: res.TemplateID, Text: a.Text, UpdatedAt: dbTime(w.o.Now())}
		err = w.s.upsert(ctx, &kept, []string{"chat_id"}, []string{"template_id", "text", "updated_at"})
	}
	if err != nil {
		return res, fmt.Errorf("store: record welcome template of %s: %w", a.ChatID, err)
	}
	return res, nil
}

// deliver sends one action; welcome templates go through deliverTemplate.
func (w *Worker) deliver(ctx context.Context, a bot.Action) (bot.Result, error) {
	if a.Kind == bot.ActWelcomeTemplate || a.Kind == bot.ActWelcomeTemplateDel {
		return w.deliverTemplate(ctx, a)
	}
	return w.o.Sender.Deliver(ctx, a)
}
