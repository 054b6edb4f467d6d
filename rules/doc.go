// Package rules makes every decision qunbot takes: what a group event means,
// what it changes and what the bot says or does in return.
//
// Engine.Handle takes one normalized bot.Event, claims the delivery (so a
// retried or duplicated callback has no second effect and gets the stored
// reply), decides, records the effects, writes any WeCom call to the outbox,
// and stores the reply, all in one durable write before it answers. A group
// message takes the hot path (hot.go): it decides from the speaker's copy in
// Redis and its journal is written with other turns' in a group commit.
// Anything the hot path does not journal runs the turn again on the
// transactional path: one database transaction that reads and writes
// through Tx. The stages below are the same on both paths.
//
// A message is evaluated in this order, and the first stage that answers ends
// the turn:
//
//  1. commands   – text that parses as a command (帮助, /warn, 签到, 兑换 …) is
//     answered by that command after its permission check and the gates (a
//     muted member may only use 帮助 and 规则). Commands never earn points.
//  2. moderation – detectors (banned words, links, flooding, repetition,
//     speaking while muted); a violation runs the escalation ladder and ends
//     the turn, so an offending message earns nothing and gets no keyword reply.
//  3. quiz       – a newcomer with a pending entry quiz (welcome.quiz): the
//     message is their answer; past the timeout the quiz is a violation.
//  4. points     – message points, with cooldown and daily cap.
//  5. replies    – keyword auto-replies, first match in the order compileReplies
//     documents, once per keyword per reply.cooldown in a group.
//
// A message from the message archive (archive.go) runs only moderation and
// points, at the time it was said: a command in it ends the turn unrun, and it
// gets no reply. One that an @-callback already brought is not run again.
//
// Analytics. Activity is rolled up inside the turn that causes it, so it is
// exactly-once like every other effect: countMessage (at the head of the
// message path) counts a member's group message, member commands such as 签到
// included but not staff commands or /in from the 1:1 chat; statsTx counts a
// new check-in (not a 补签) where it is written, and a join or leave wherever a
// member comes into or goes out of the group (join and leave events, a
// read-back that reconciles the list). Per group and local day: messages,
// speakers (distinct), checkins, joins, leaves; per member and day: messages.
// Reads (Engine.Stats, /stats, reports) come from these roll-ups only. Over a
// window of N whole local days ending on a day (today for the stats API and
// /stats; the day before the run for the reports):
//
//   - members: current members; speakers: distinct members who spoke in it;
//     left: members who left in the window and have not come back.
//   - messages_per_member_per_day = messages ÷ (members × N).
//   - speaker_share = speakers ÷ (members + left): the share of everyone who
//     was in the group during the window who spoke.
//   - quit_rate = leaves ÷ (members + leaves): leaves over everyone who was in
//     the group at some point of the window (a start population plus joins).
//
// Ratios are rounded to 4 decimals and are 0 when their divisor is.
//
// Segments (segment.go) are one definition, per member and as of a day: the
// member view, the member list, /stats, the stats API, the reports and the
// dashboard all use it. A member's quiet days are the whole days from the
// later of the last day they spoke and the day they joined, to that day. The
// first rule that applies wins:
//
//   - churned: they left the group, or quiet for segment.churned (90d);
//   - silent: quiet for segment.silent (30d);
//   - high_value: at least segment.high_value messages (21/7d: 3 a day on
//     average) in the window of that length ending on the day;
//   - potential: everyone else — they spoke or joined within
//     segment.silent, below high value (a member who says ≤ 2 a week is one).
//
// Potential takes the rest so that the four always add up: a window's
// segments sort its current members (high_value + potential + silent +
// churned = members, counting the quiet-for-90-days in churned) and add to
// churned those who left in the window.
//
// The most active members are those who spoke on the most days (then the
// most recent). Quiet members are never named in the group: /stats names the
// members who did not speak in its window to the caller, the owner and the
// admins by app message; the weekly follow-up names to the owner and admins
// the members below followup.quiet (fewer than 3 messages in 14 days) who
// were in the group the whole window, oldest first; a member who leaves of
// their own accord is reported to staff at once (how long they stayed,
// points, last message, inviter).
//
// Scheduling (schedule.go). Everything on the clock is a timer of a group:
// the job table (daily, weekly and monthly reports with their health alerts
// and the weekly follow-up, 积分王, the entry-quiz check) and each scheduled
// post (/schedule, 5-field cron in the configured zone). A run is a tick event
// named after the group, the job and the run (the period, or the post and its
// due time), claimed like any delivery: exactly once whatever the replicas. A
// pass runs each timer's latest due run if it is younger than the timer's
// catch-up (reports 6h, posts 1h): a missed run is made up once, older ones
// are skipped and logged at start.
//
// Health (health.go). Each report shows its indicators with the change
// against the period before and judges those of its period against the
// health.* thresholds: the daily report messages per member, the weekly one
// that and the speaker share, the monthly review that and the quit rate. A
// breach is flagged in the report and sent to staff privately, once per
// period because the report's run is once; a window with no activity at all
// is neither reported nor judged.
//
// Orders (orders.go). Every redemption is an order: pending until an admin
// marks it done or refunds it. A refund writes a `refund` ledger row worth the
// order's cost (like redeem and makeup a spending kind: it moves the balance,
// never a rank or a level, so a member's points are always the sum of their
// rows), returns the item to stock and the member's limit, and tells the
// member; settling is a compare-and-set, so of two racing refunds one counts.
//
// Member events (joins, leaves), card clicks and scheduled ticks go to the
// handler registered for their kind. Rules are data: commands are a table,
// settings keys are a table, the ladder is a table evaluated in one place.
package rules
