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
// Analytics. Activity is rolled up inside the turn that causes it, so it is
// exactly-once like every other effect: countMessage (at the head of the
// message path) counts a member's group message, member commands such as 签到
// included but not staff commands or /in from the 1:1 chat; statsTx counts a
// new check-in (not a 补签) where it is written, and a join or leave wherever a
// member comes into or goes out of the group (join and leave events, a
// read-back that reconciles the list). Per group and local day: messages,
// speakers (distinct), checkins, joins, leaves; per member and day: messages.
// Reads (Engine.Stats, /stats, reports) come from these roll-ups only. Over a
// window of N whole local days ending today (the stats API and /stats):
//
//   - members: current members; speakers: distinct members who spoke in it.
//   - messages_per_member_per_day = messages ÷ (members × N).
//   - speaker_share = speakers ÷ (members + churned): the share of everyone who
//     was in the group during the window who spoke.
//   - quit_rate = leaves ÷ (members + leaves): leaves over everyone who was in
//     the group at some point of the window (a start population plus joins).
//   - segments: high_value = current members who spoke on at least half the
//     days (rounded up; 4 of 7, 15 of 30); potential = current members who
//     spoke, on fewer days; silent = current members who did not speak
//     (high_value + potential + silent = members); churned = members who left
//     in the window and have not come back.
//
// Ratios are rounded to 4 decimals and are 0 when their divisor is. The most
// active members are those who spoke on the most days (then the most recent);
// silent members are never named in the group: /stats names them to the
// caller, the owner and the admins by app message, the weekly recap to staff.
//
// Member events (joins, leaves), card clicks and scheduled ticks go to the
// handler registered for their kind. Rules are data: commands are a table,
// settings keys are a table, the ladder is a table evaluated in one place.
package rules
