package rules

import (
	"context"
	"time"
)

// What the admin API reads of the follow-through: orders, scheduled posts.

// OrdersOf lists a group's orders for the admin API, newest first: those in
// status ("" for all), at most limit.
func (e *Engine) OrdersOf(ctx context.Context, chatID, status string, limit int) ([]Order, error) {
	return e.store.Orders(ctx, chatID, OrderQuery{Status: status, Limit: limit})
}

// ScheduleView is a scheduled post with its next run (nil: none).
type ScheduleView struct {
	Schedule
	NextRun *time.Time
}

// SchedulesOf lists a group's scheduled posts, oldest first.
func (e *Engine) SchedulesOf(ctx context.Context, chatID string) ([]ScheduleView, error) {
	list, err := e.store.Schedules(ctx, chatID)
	if err != nil {
		return nil, err
	}
	now := e.now().In(e.loc)
	out := make([]ScheduleView, len(list))
	for i, p := range list {
		out[i].Schedule = p
		if sched, err := ParseCron(p.Spec); err == nil {
			if at, ok := nextCron(sched, now); ok {
				out[i].NextRun = &at
			}
		}
	}
	return out, nil
}
