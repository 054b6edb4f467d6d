package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/qunbot/qunbot/rules"
)

// memberWrite is one change to the state kept on a member row (migration
// 600): points added to the balance and to the points earned, a new meter, a
// new latest check-in. A member without a row gets one, first seen at At.
type memberWrite struct {
	ChatID, UserID string
	At             time.Time
	Points, Earned int
	Meter          *rules.Meter
	Checkin        *rules.Checkin
	SpokeDay       string
}

// memberWriteCols are the columns a memberWrite inserts. A row's meter_last
// is NULL when the write leaves the meter alone, and its checkin_day "" when
// it leaves the check-in alone: the update below keys on both.
const memberWriteCols = "chat_id, user_id, joined_at, join_scene, inviter, removed, approved, first_seen, updated_at," +
	" points, earned, version, meter_day, meter_count, meter_last, checkin_day, checkin_streak, spoke_day"

const memberWriteRow = "(?, ?, ?, 0, '', 0, 0, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)"

// memberWriteUpdate applies a write to an existing row. MySQL assigns left to
// right with the values already assigned, so every column is assigned after
// the ones it reads; SQLite reads the old row throughout. The meter only
// moves forward: a write whose meter is older than the row's (decided from
// a copy another turn had moved on) leaves it.
func (s *Store) memberWriteUpdate() string {
	n := s.newValue
	meterAhead := "(" + n("meter_last") + " IS NOT NULL AND (meter_last IS NULL OR " + n("meter_last") + " > meter_last))"
	return s.onConflict("chat_id", "user_id") + strings.Join([]string{
		"points = points + " + n("points"),
		"earned = earned + " + n("earned"),
		"version = version + 1",
		"updated_at = " + n("updated_at"),
		"meter_count = CASE WHEN " + meterAhead + " THEN " + n("meter_count") + " ELSE meter_count END",
		"meter_day = CASE WHEN " + meterAhead + " THEN " + n("meter_day") + " ELSE meter_day END",
		"meter_last = CASE WHEN " + meterAhead + " THEN " + n("meter_last") + " ELSE meter_last END",
		"checkin_streak = CASE WHEN " + n("checkin_day") + " > checkin_day THEN " + n("checkin_streak") + " ELSE checkin_streak END",
		"checkin_day = CASE WHEN " + n("checkin_day") + " > checkin_day THEN " + n("checkin_day") + " ELSE checkin_day END",
		"spoke_day = CASE WHEN " + n("spoke_day") + " > spoke_day THEN " + n("spoke_day") + " ELSE spoke_day END",
	}, ", ")
}

// writeMembers applies ws in one statement.
func (s *Store) writeMembers(ctx context.Context, ws []memberWrite) error {
	if len(ws) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("INSERT INTO members (" + memberWriteCols + ") VALUES ")
	args := make([]any, 0, len(ws)*15)
	for i, w := range ws {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(memberWriteRow)
		at := dbTime(w.At)
		var meterDay, checkinDay string
		var meterCount, streak int
		var meterLast *time.Time
		if m := w.Meter; m != nil {
			last := dbTime(m.Last)
			meterDay, meterCount, meterLast = m.Day, m.Count, &last
		}
		if c := w.Checkin; c != nil {
			checkinDay, streak = c.Day, c.Streak
		}
		args = append(args, w.ChatID, w.UserID, at, at, at, w.Points, w.Earned,
			meterDay, meterCount, meterLast, checkinDay, streak, w.SpokeDay)
		s.touch(w.ChatID, w.UserID)
	}
	b.WriteString(s.memberWriteUpdate())
	if err := s.exec(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("store: write %d member rows: %w", len(ws), err)
	}
	return nil
}

// newValue names the value a conflicting INSERT tried to write to col.
func (s *Store) newValue(col string) string {
	if s.mysql {
		return "VALUES(" + col + ")"
	}
	return "excluded." + col
}

// onConflict starts the update clause of an upsert on the key columns.
func (s *Store) onConflict(key ...string) string {
	if s.mysql {
		return " ON DUPLICATE KEY UPDATE "
	}
	return " ON CONFLICT (" + strings.Join(key, ", ") + ") DO UPDATE SET "
}

// memberKey names one member of one group.
type memberKey struct{ chatID, userID string }

// touched collects the members a transaction wrote, so their Redis copies
// can be brought up to date once it commits (member_copy.go).
type touched map[memberKey]bool

// touch records that the store wrote chatID/userID's row; outside a
// transaction there is nothing to record.
func (s *Store) touch(chatID, userID string) {
	if s.touched != nil {
		s.touched[memberKey{chatID, userID}] = true
	}
}

// memberStateCols are the columns rules.MemberState is read from.
const memberStateCols = "chat_id, user_id, joined_at, join_scene, inviter, left_at, removed, probation_until," +
	" muted_until, approved, points, earned, version, meter_day, meter_count, meter_last, checkin_day, checkin_streak, spoke_day"

// readMemberRows reads the rows of keys (absent members are left out) in one
// query, bounded so that a large batch becomes several.
func (s *Store) readMemberRows(ctx context.Context, keys []memberKey) ([]memberRow, error) {
	const chunk = 200
	var out []memberRow
	for start := 0; start < len(keys); start += chunk {
		part := keys[start:min(start+chunk, len(keys))]
		args := make([]any, 0, 2*len(part))
		for _, k := range part {
			args = append(args, k.chatID, k.userID)
		}
		err := s.queryRows(ctx, func(rows *sql.Rows) error {
			var r memberRow
			err := rows.Scan(&r.ChatID, &r.UserID, &r.JoinedAt, &r.JoinScene, &r.Inviter, &r.LeftAt, &r.Removed,
				&r.ProbationUntil, &r.MutedUntil, &r.Approved, &r.Points, &r.Earned, &r.Version, &r.MeterDay,
				&r.MeterCount, &r.MeterLast, &r.CheckinDay, &r.CheckinStreak, &r.SpokeDay)
			out = append(out, r)
			return err
		}, "SELECT "+memberStateCols+" FROM members WHERE "+anyOf("(chat_id = ? AND user_id = ?)", len(part)), args...)
		if err != nil {
			return nil, fmt.Errorf("store: read %d member rows: %w", len(part), err)
		}
	}
	return out, nil
}

// state is the row as the hot path sees it.
func (r memberRow) state() rules.MemberState {
	st := rules.MemberState{
		Found: true,
		Member: rules.Member{ChatID: r.ChatID, UserID: r.UserID, JoinedAt: utcPtr(r.JoinedAt), JoinScene: r.JoinScene,
			Inviter: r.Inviter, LeftAt: utcPtr(r.LeftAt), Removed: r.Removed, ProbationUntil: utcPtr(r.ProbationUntil),
			MutedUntil: utcPtr(r.MutedUntil), Approved: r.Approved},
		Points: int(r.Points), Earned: int(r.Earned), Version: r.Version,
		Meter:      rules.Meter{Day: r.MeterDay, Count: r.MeterCount},
		CheckinDay: r.CheckinDay, CheckinStreak: r.CheckinStreak, SpokeDay: r.SpokeDay,
	}
	if r.MeterLast != nil {
		st.Meter.Last = r.MeterLast.UTC()
	}
	return st
}
