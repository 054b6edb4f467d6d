package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// Outbox statuses; stored values.
const (
	statusPending = "pending" // waiting for next_attempt_at
	statusSending = "sending" // leased by a worker until lease_until
	statusDone    = "done"
	statusFailed  = "failed" // permanent error or out of attempts; last_error says why
)

type outboxRow struct {
	ID            int64 `gorm:"primaryKey"`
	Kind          string
	Payload       string
	RateKey       string
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LeaseUntil    *time.Time
	LeaseOwner    string
	LastError     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (outboxRow) TableName() string { return "outbox" }

// Enqueue writes one pending outbox row per action, due at at. ActReply
// travels in the HTTP answer and is skipped.
func (s *Store) Enqueue(ctx context.Context, at time.Time, actions ...bot.Action) error {
	rows, err := outboxRows(nil, at, actions)
	if err != nil {
		return err
	}
	return s.insertOutbox(ctx, rows)
}

// outboxRows appends the rows of actions due at at to rows.
func outboxRows(rows []outboxRow, at time.Time, actions []bot.Action) ([]outboxRow, error) {
	t := dbTime(at)
	for _, a := range actions {
		if a.Kind == bot.ActReply {
			continue
		}
		payload, err := json.Marshal(a)
		if err != nil {
			return nil, fmt.Errorf("store: enqueue %s: %w", a.Kind, err)
		}
		rows = append(rows, outboxRow{Kind: string(a.Kind), Payload: string(payload), RateKey: rateKey(a),
			Status: statusPending, NextAttemptAt: t, CreatedAt: t, UpdatedAt: t})
	}
	return rows, nil
}

// insertOutbox writes rows in one statement.
func (s *Store) insertOutbox(ctx context.Context, rows []outboxRow) error {
	if len(rows) == 0 {
		return nil
	}
	if err := s.q(ctx).Create(&rows).Error; err != nil {
		return fmt.Errorf("store: enqueue: %w", err)
	}
	return nil
}

// rateKey names the WeCom limit an action counts against, for the outbox
// row (and the worker's limiter):
//
//	webhook:<sha256(key)[:16]>  webhook/send, 20/min per robot (the key itself is a secret)
//	appchat_update              appchat/update, 100/hour per corp (the safe floor)
//	message:<userid,userid…>    message/send, 30/min per recipient (sorted; hashed past 160 bytes)
//	aibot:<chat>                aibot_send_msg, 30/min and 1000/h per chat with the answers
//	""                          no limit qunbot enforces
func rateKey(a bot.Action) string {
	switch a.Kind {
	case bot.ActAIBotSend:
		return "aibot:" + aibotChat(a)
	case bot.ActWebhookSend:
		return "webhook:" + shortHash(a.WebhookKey)
	case bot.ActAppChatRemove:
		return "appchat_update"
	case bot.ActAppMessage, bot.ActRemovalCard:
		to := slices.Clone(a.To)
		slices.Sort(to)
		set := strings.Join(slices.Compact(to), ",")
		if len(set) > 160 {
			set = "sha:" + shortHash(set)
		}
		return "message:" + set
	}
	return ""
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// OutboxDepth counts rows still to deliver (pending or being sent) and rows
// that failed for good, for metrics.
func (s *Store) OutboxDepth(ctx context.Context) (pending, failed int64, err error) {
	var rows []struct {
		Status string
		N      int64
	}
	err = s.q(ctx).Model(&outboxRow{}).Select("status, COUNT(*) AS n").
		Where("status IN ?", []string{statusPending, statusSending, statusFailed}).
		Group("status").Scan(&rows).Error
	if err != nil {
		return 0, 0, fmt.Errorf("store: outbox depth: %w", err)
	}
	for _, r := range rows {
		if r.Status == statusFailed {
			failed += r.N
		} else {
			pending += r.N
		}
	}
	return pending, failed, nil
}

// PruneOutbox deletes delivered rows last touched before olderThan. Failed
// rows stay until an operator looks at them.
func (s *Store) PruneOutbox(ctx context.Context, olderThan time.Time) (int64, error) {
	res := s.q(ctx).Where("status = ? AND updated_at < ?", statusDone, dbTime(olderThan)).Delete(&outboxRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: prune outbox: %w", res.Error)
	}
	return res.RowsAffected, nil
}
