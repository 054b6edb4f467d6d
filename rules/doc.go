// Package rules makes every decision qunbot takes: what a group event means,
// what it changes and what the bot says or does in return.
//
// Engine.Handle takes one normalized bot.Event and, inside one database
// transaction, claims the delivery (so a retried or duplicated callback has
// no second effect and gets the stored reply), decides, records the effects,
// writes any WeCom call to the outbox, and stores the reply.
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
// Member events (joins, leaves), card clicks and scheduled ticks go to the
// handler registered for their kind. Rules are data: commands are a table,
// settings keys are a table, the ladder is a table evaluated in one place.
package rules
