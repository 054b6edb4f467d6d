package rules

import (
	"cmp"
	"slices"
)

// ledgerBoard is a board summed from the ledger (EarnedBy), read when Redis
// does not answer: slower, but the same order as the sorted set (points
// descending, ties by userid descending, as ZREVRANGE orders them).
type ledgerBoard map[string]int

func (l ledgerBoard) ranked() []Ranked {
	out := make([]Ranked, 0, len(l))
	for u, p := range l {
		out = append(out, Ranked{UserID: u, Points: p})
	}
	slices.SortFunc(out, func(a, b Ranked) int {
		return cmp.Or(cmp.Compare(b.Points, a.Points), cmp.Compare(b.UserID, a.UserID))
	})
	return out
}

// top is the first n with points, like Leaderboards.Top.
func (l ledgerBoard) top(n int) []Ranked {
	var out []Ranked
	for _, r := range l.ranked() {
		if r.Points <= 0 || len(out) == n {
			break
		}
		out = append(out, r)
	}
	return out
}

// rankOf is like Leaderboards.RankOf: rank 0 when absent.
func (l ledgerBoard) rankOf(userID string) [2]int {
	for i, r := range l.ranked() {
		if r.UserID == userID {
			return [2]int{i + 1, r.Points}
		}
	}
	return [2]int{}
}

func (l ledgerBoard) scores(users []string) []int {
	out := make([]int, len(users))
	for i, u := range users {
		out[i] = l[u]
	}
	return out
}
