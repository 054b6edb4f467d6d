package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// replyTTL is how long a passive reply stays cached: WeCom's retries of one
// callback all come within minutes.
const replyTTL = time.Hour

// PublishSettingsChanged tells every replica to reload chatID's settings.
func (s *Store) PublishSettingsChanged(ctx context.Context, chatID string) error {
	if err := s.rdb.Publish(ctx, s.keys.settingsChannel(), chatID).Err(); err != nil {
		return fmt.Errorf("store: publish settings change of %s: %w", chatID, err)
	}
	return nil
}

// SubscribeSettings calls fn with each chat id whose settings changed, until
// ctx ends. When the subscription breaks it subscribes again and then calls
// fn("") — changes may have been missed meanwhile, so "" means reload all.
func (s *Store) SubscribeSettings(ctx context.Context, fn func(chatID string)) {
	backoff := 100 * time.Millisecond
	for first := true; ctx.Err() == nil; first = false {
		err := s.receiveSettings(ctx, fn, !first)
		if ctx.Err() != nil {
			return
		}
		s.log.WarnContext(ctx, "store: settings subscription broke", "err", err)
		if sleepCtx(ctx, backoff) != nil {
			return
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}

func (s *Store) receiveSettings(ctx context.Context, fn func(string), resubscribed bool) error {
	sub := s.rdb.Subscribe(ctx, s.keys.settingsChannel())
	// A blocked read does not watch ctx; closing the subscription ends it.
	stop := context.AfterFunc(ctx, func() { sub.Close() })
	defer func() {
		stop()
		sub.Close()
	}()
	if _, err := sub.Receive(ctx); err != nil { // the subscribe confirmation
		return err
	}
	if resubscribed {
		fn("")
	}
	for {
		msg, err := sub.ReceiveMessage(ctx)
		if err != nil {
			return err
		}
		fn(msg.Payload)
	}
}

// CachedReply returns the cached passive reply of eventID; ok is false when
// none is cached (a cached empty reply is ok with reply "").
func (s *Store) CachedReply(ctx context.Context, eventID string) (reply string, ok bool, err error) {
	reply, err = s.rdb.Get(ctx, s.keys.reply(eventID)).Result()
	if errors.Is(err, redis.Nil) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store: cached reply %s: %w", eventID, err)
	}
	return reply, true, nil
}

// CacheReply caches eventID's passive reply for an hour.
func (s *Store) CacheReply(ctx context.Context, eventID, reply string) error {
	if err := s.rdb.Set(ctx, s.keys.reply(eventID), reply, replyTTL).Err(); err != nil {
		return fmt.Errorf("store: cache reply %s: %w", eventID, err)
	}
	return nil
}

// TryLock takes the lock name for ttl if nobody holds it. Scheduled jobs name
// the lock after the run ("report:G1:2026-11-21") and let it expire, so each
// run happens once across replicas.
func (s *Store) TryLock(ctx context.Context, name string, ttl time.Duration) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.keys.lock(name), s.now().UTC().Format(time.RFC3339), ttl).Result()
	if err != nil {
		return false, fmt.Errorf("store: lock %s: %w", name, err)
	}
	return ok, nil
}
