package rules

// ladderStep is what the escalation ladder decides for one new violation.
type ladderStep struct {
	Rung    Rung // the rung that fires; a plain warning when none is crossed
	Crossed bool // a configured rung was crossed by this violation
	// Past is true when the count is beyond the top rung: the top rung fires
	// again.
	Past  bool
	Count int // active violations, this one included
	Top   int // the count of the ladder's top rung (the N of 警告 n/N)
}

// climb evaluates the ladder when a member's active violations go from prev
// to count. Only the highest rung crossed fires (prev < rung ≤ count); a
// violation that crosses none is answered with a warning, and one past the
// top rung repeats the top rung. The ladder is data (violation.ladder) and
// this is the only place it is read. Without rungs every violation warns and
// the count is shown against itself.
func climb(ladder []Rung, prev, count int) ladderStep {
	step := ladderStep{Rung: Rung{Count: count, Action: ActionWarn}, Count: count}
	var top Rung
	for _, r := range ladder {
		if r.Count > top.Count {
			top = r
		}
		if r.Count > prev && r.Count <= count && (!step.Crossed || r.Count > step.Rung.Count) {
			step.Rung, step.Crossed = r, true
		}
	}
	step.Top = top.Count
	switch {
	case len(ladder) == 0:
		step.Top = count
	case count > top.Count && !step.Crossed:
		step.Rung, step.Crossed, step.Past = top, true, true
	}
	return step
}
