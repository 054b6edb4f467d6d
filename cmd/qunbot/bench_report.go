package main

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// add pools o into r: requests and time add up, latencies merge (unsorted
// until sorted is called).
func (r *loadResult) add(o loadResult) {
	if r.Errors == nil {
		r.Errors = map[string]int{}
	}
	r.Requests += o.Requests
	r.Elapsed += o.Elapsed
	r.Latencies = append(r.Latencies, o.Latencies...)
	for k, n := range o.Errors {
		r.Errors[k] += n
	}
	for k, c := range o.Kinds {
		r.Kinds[k].Sent += c.Sent
		r.Kinds[k].Replied += c.Replied
		r.Kinds[k].Failed += c.Failed
	}
}

func (r loadResult) sorted() loadResult {
	slices.Sort(r.Latencies)
	return r
}

// rate is requests per second over the measured time.
func (r loadResult) rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// percentile is the latency below which a share p (0..1) of requests fell.
func (r loadResult) percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(p*float64(len(r.Latencies))+0.5) - 1
	return r.Latencies[min(max(i, 0), len(r.Latencies)-1)]
}

func (r loadResult) failed() int {
	n := 0
	for _, c := range r.Errors {
		n += c
	}
	return n
}

// measurement is one run of one target, with the target's peak RSS after it.
type measurement struct {
	target string // "bare", "floor" or "bot"
	round  int
	result loadResult
	rss    int64 // bytes; 0 when unknown
}

const tableHeader = "%-5s %5s %9s %10s %9s %9s %9s %7s %9s\n"

// printTable writes one line per measurement, then the ratios over all
// rounds (bot/bare; with a floor, also floor/bare and bot/floor), the errors
// by kind and what each kind of message got back.
func printTable(w io.Writer, ms []measurement) {
	fmt.Fprintf(w, tableHeader, "run", "round", "requests", "req/s", "p50", "p99", "max", "errors", "peak RSS")
	for _, m := range ms {
		r := m.result
		fmt.Fprintf(w, tableHeader, m.target, strconv.Itoa(m.round), strconv.Itoa(r.Requests),
			strconv.FormatFloat(r.rate(), 'f', 0, 64), ms3(r.percentile(0.5)), ms3(r.percentile(0.99)),
			ms3(r.percentile(1)), strconv.Itoa(r.failed()), mib(m.rss))
	}
	fmt.Fprintln(w)
	for _, pair := range [][2]string{{"bot", "bare"}, {"floor", "bare"}, {"bot", "floor"}} {
		a, b := total(ms, pair[0]), total(ms, pair[1])
		if a.Requests > 0 && b.Requests > 0 {
			fmt.Fprintf(w, "%s/%s: %.1f%% of the requests/s (%.0f vs %.0f); p99 %s vs %s\n", pair[0], pair[1],
				100*a.rate()/b.rate(), a.rate(), b.rate(), ms3(a.percentile(0.99)), ms3(b.percentile(0.99)))
		}
	}
	for _, name := range []string{"bare", "floor", "bot"} {
		r := total(ms, name)
		if r.failed() == 0 {
			continue
		}
		fmt.Fprintf(w, "%s errors:", name)
		for _, k := range slices.Sorted(maps.Keys(r.Errors)) {
			fmt.Fprintf(w, " %d × %s;", r.Errors[k], k)
		}
		fmt.Fprintln(w)
	}
	if r := total(ms, "bot"); r.Requests > 0 {
		fmt.Fprint(w, "bot answers with a reply:")
		for k, c := range r.Kinds {
			fmt.Fprintf(w, " %s %d/%d", kindNames[k], c.Replied, c.Sent)
		}
		fmt.Fprintln(w)
	}
}

// total pools the rounds of one target.
func total(ms []measurement, target string) loadResult {
	var t loadResult
	for _, m := range ms {
		if m.target == target {
			t.add(m.result)
		}
	}
	return t.sorted()
}

func ms3(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + "ms"
}

func mib(b int64) string {
	if b <= 0 {
		return "-"
	}
	return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) + "MiB"
}

// peakRSS is a process's peak resident set size (VmHWM), Linux only.
func peakRSS(pid int) (int64, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("VmHWM of %d: %w", pid, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmHWM for process %d", pid)
}
