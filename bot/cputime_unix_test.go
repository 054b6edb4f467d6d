//go:build unix

package bot

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used, user and system, so a
// benchmark can report its cost apart from the wall time other jobs on a
// shared machine stretch.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
