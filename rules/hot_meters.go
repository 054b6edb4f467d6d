package rules

import "sync"

// A chat message earns message points at most once per cooldown and up to a
// daily cap, so most messages of a lively member earn nothing: the meter
// already says no. Two things follow:
//
//   - a turn whose state (read in its first round trip) already refuses the
//     slot does not ask Redis (hotTx.TakeMessageSlot);
//   - a turn whose member's meter, as this process last read or moved it,
//     refuses the slot does not reserve one in its first round trip
//     (slotFor), as the reservation is a script Redis runs.
//
// Neither ever grants a slot: only the atomic reservation does. A meter only
// moves forward (a later slot, a higher count the same day), except when a
// turn gives back a slot it reserved and did not keep: a hint then ahead of
// the meter costs one reservation (the turn's state shows the meter given
// back), and a turn on another replica that read the meter while the slot was
// held refuses itself, as its reservation would have had it run a moment
// earlier.

// deniesSlot reports whether a meter at least as new as m refuses slot s,
// by reserveSlot's rules (store/member_copy.go), in whole milliseconds as
// Redis keeps them.
func (m Meter) deniesSlot(s MessageSlot) bool {
	if !m.Last.IsZero() && m.Last.UnixMilli() > s.At.UnixMilli()-s.Cooldown.Milliseconds() {
		return true
	}
	return m.Day == s.Day && m.Count >= s.DailyCap
}

// meterHintsMax bounds the hints kept; past it they are forgotten at once
// (a forgotten hint costs one reservation).
const meterHintsMax = 1 << 16

// meterHints are the members' meters as this process last read or moved them.
type meterHints struct {
	mu sync.Mutex
	m  map[memberKey]Meter
}

type memberKey struct{ chat, user string }

func (h *meterHints) get(chatID, userID string) (Meter, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	m, ok := h.m[memberKey{chatID, userID}]
	return m, ok
}

func (h *meterHints) put(chatID, userID string, m Meter) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil || len(h.m) >= meterHintsMax {
		h.m = make(map[memberKey]Meter)
	}
	h.m[memberKey{chatID, userID}] = m
}
