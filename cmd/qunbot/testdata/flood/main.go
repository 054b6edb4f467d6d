// Command flood measures what a flood of large callback bodies with a bogus
// signature costs a running qunbot: it posts -n concurrent bodies of -size
// bytes to -url, -rounds times, and prints the answers by status and the
// server's peak resident memory (VmHWM of -pid) before and after.
//
//	go run ./cmd/qunbot/testdata/flood -pid $(pgrep -n qunbot) -url http://127.0.0.1:8090/wecom/aibot
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	target := flag.String("url", "http://127.0.0.1:8090/wecom/aibot", "callback URL")
	n := flag.Int("n", 200, "concurrent bodies")
	size := flag.Int("size", 1<<20, "bytes per body")
	rounds := flag.Int("rounds", 3, "floods, one after the other")
	pid := flag.Int("pid", 0, "the server's process id (for its resident memory)")
	flag.Parse()

	fmt.Printf("before: %s\n", memory(*pid))
	body := append([]byte(`{"encrypt":"`), bytes.Repeat([]byte("A"), *size-14)...)
	body = append(body, '"', '}')
	url := *target + "?msg_signature=bogus&timestamp=" + fmt.Sprint(time.Now().Unix()) + "&nonce=1"
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: *n}}
	counts := map[string]int{}
	var mu sync.Mutex
	for range *rounds {
		var wg sync.WaitGroup
		for range *n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status := "error"
				res, err := client.Post(url, "application/json", bytes.NewReader(body))
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					status = fmt.Sprint(res.StatusCode)
				}
				mu.Lock()
				counts[status]++
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("status %s: %d\n", k, counts[k])
	}
	fmt.Printf("after: %s\n", memory(*pid))
}

// memory reads VmRSS and VmHWM (the peak) of pid.
func memory(pid int) string {
	if pid == 0 {
		return "(no -pid)"
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return err.Error()
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") || strings.HasPrefix(line, "VmHWM:") {
			out = append(out, strings.Join(strings.Fields(line), " "))
		}
	}
	return strings.Join(out, ", ")
}
