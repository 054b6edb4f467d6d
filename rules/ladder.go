package rules

// ladderStep is what the escalation ladder decides for one new violation.
type ladderStep struct {
	Rung    Rung // the rung that fires; a plain warning when none is crossed
	Crossed bool // a configured rung was crossed by this violation
	Count   int  // active violations, this one included
	Top     int  // the count at which the ladder ends (the N of 警告 n/N)
}

// climb evaluates the ladder when a member's active violations go from prev
// to count. Only the highest rung crossed fires (prev < rung ≤ count); a
// violation that crosses none is answered with a warning. The ladder is data
// (violation.ladder) and this is the only place it is read.
func climb(ladder []Rung, prev, count int) ladderStep {
	step := ladderStep{Rung: Rung{Count: count, Action: ActionWarn}, Count: count}
	for _, r := range ladder {
		if r.Count > step.Top {
			step.Top = r.Count
		}
		if r.Count > prev && r.Count <= count && (!step.Crossed || r.Count > step.Rung.Count) {
			step.Rung, step.Crossed = r, true
		}
	}
	if step.Top < count {
		step.Top = count
	}
	return step
}
