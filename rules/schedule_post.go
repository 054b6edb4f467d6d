package rules

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Scheduled posts (/schedule): a standard 5-field cron expression in the
// configured zone and a text, posted the section 7.2 way at every time the
// expression names. Each is a timer (schedule.go): the run due at an
// instant is claimed in the database under the post's id and that instant,
// so it is posted once whatever the number of replicas; a run missed by
// less than postCatchUp while qunbot was down is made up once at start.

// JobSchedule is the tick job of scheduled posts; its runs are
// "<id>@<due time>".
const JobSchedule = "schedule"

// postCatchUp is how late a missed scheduled post is still made up.
const postCatchUp = time.Hour

// Schedules keep the scheduled posts. They join Tx.
type Schedules interface {
	AddSchedule(ctx context.Context, s Schedule) (id int64, err error)
	// Schedules are a group's posts ("" for every group's), oldest first.
	Schedules(ctx context.Context, chatID string) ([]Schedule, error)
	// Schedule is one post, or ErrNotFound.
	Schedule(ctx context.Context, id int64) (Schedule, error)
	DelSchedule(ctx context.Context, chatID string, id int64) (deleted bool, err error)
}

// Schedule is one scheduled post.
type Schedule struct {
	ID        int64
	ChatID    string
	Spec      string // 5-field cron, e.g. "0 20 * * 5"
	Text      string // {group} and {date} are filled in when posted
	CreatedBy string
	CreatedAt time.Time
}

// cronParser reads exactly the standard five fields (minute, hour, day of
// month, month, day of week): no seconds, no @descriptors.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// ParseCron reads a standard 5-field cron expression. Its times are taken
// in the zone of the times given to Next. A zone prefix (TZ=, CRON_TZ=) is
// refused: schedules are in QUNBOT_TIMEZONE.
func ParseCron(spec string) (cron.Schedule, error) {
	spec = strings.TrimSpace(spec)
	switch {
	case strings.Contains(spec, "="), strings.HasPrefix(spec, "@"):
		return nil, errors.New(sayCronFiveOnly)
	case len(strings.Fields(spec)) != 5:
		return nil, fmt.Errorf(sayCronFields, len(strings.Fields(spec)))
	}
	sched, err := cronParser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf(sayCronBad, err)
	}
	return sched, nil
}

// nextCron is the schedule's first time after `after`; never for an
// expression that names no time within five years (30 2 *: February 30th).
func nextCron(sched cron.Schedule, after time.Time) (time.Time, bool) {
	at := sched.Next(after)
	return at, !at.IsZero()
}

// postRun names the run of post id due at `at`.
func postRun(id int64, at time.Time) string {
	return strconv.FormatInt(id, 10) + "@" + at.Format("2006-01-02T15:04Z07:00")
}

// postTimer is a scheduled post's timer; ok is false for one whose
// expression no longer parses.
func (e *Engine) postTimer(p Schedule) (timer, bool) {
	sched, err := ParseCron(p.Spec)
	if err != nil {
		e.log.Warn("scheduled post with a bad expression", "chat_id", p.ChatID, "schedule_id", p.ID, "err", err)
		return timer{}, false
	}
	return timer{
		ChatID: p.ChatID, Job: JobSchedule, CatchUp: postCatchUp, Since: p.CreatedAt, PostID: p.ID,
		Next: func(after time.Time) (time.Time, bool) { return nextCron(sched, after.In(e.loc)) },
		Run:  func(at time.Time) string { return postRun(p.ID, at) },
	}, true
}

// runScheduledPost posts the text of the post its run names, with {group}
// and {date} (the local date it fell due) filled in. A post deleted since
// the run fell due posts nothing.
func runScheduledPost(ctx context.Context, t *Turn) error {
	idText, due, ok := strings.Cut(t.Event.Tick.Run, "@")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil {
		return nil
	}
	p, err := t.Tx.Schedule(ctx, id)
	if errors.Is(err, ErrNotFound) || (err == nil && p.ChatID != t.Event.ChatID) {
		return nil
	}
	if err != nil {
		return err
	}
	date := t.Day()
	if at, err := time.Parse("2006-01-02T15:04Z07:00", due); err == nil {
		date = at.In(t.e.loc).Format(time.DateOnly)
	}
	text := strings.NewReplacer("{group}", t.GroupName(), "{date}", date).Replace(p.Text)
	return t.Post(ctx, text)
}
