package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qunbot/qunbot/store/storetest"
)

// BenchmarkAnswerPaths answers @-messages under concurrency through both
// 智能机器人 transports in the same run, on the same backend:
//
//	webhook   the sender encrypts and POSTs the callback; the bot verifies,
//	          decrypts, decides and answers with an encrypted passive reply;
//	          the sender decrypts it.
//	longconn  the fake WeCom pushes aibot_msg_callback over the WebSocket; the
//	          bot decides, takes a slot of the chat's shared rate limit and
//	          sends aibot_respond_msg on the callback's req_id; the fake
//	          records it.
//
// The two paths take turns in bursts of answerBurst messages (8 senders at
// once), alternating which goes first, so a shared machine's changing load
// falls on both alike. b.N messages go through each path. Reported per path:
// messages per second over its bursts, and the latency from the callback
// leaving the fake WeCom to the answer reaching it (p50, p99); and
// longconn/webhook, the ratio of their throughputs.
//
// Each message is a new member; every 25 messages share a group (WeCom allows
// 30 answers a minute per chat, which the long connection enforces).
func BenchmarkAnswerPaths(b *testing.B) {
	for _, backend := range storetest.Backends(b) {
		for _, text := range []string{"帮助", "签到"} {
			b.Run(backend.Name+"/"+text, func(b *testing.B) { benchAnswerPaths(b, backend, text) })
		}
	}
}

const (
	answerBurst   = 64
	answerSenders = 8
)

// answerPath is one transport's sender and what it measured.
type answerPath struct {
	name    string
	ask     func(id, chat, from, text string) error
	elapsed time.Duration
	lat     []time.Duration
	sent    int64
}

func benchAnswerPaths(b *testing.B, backend storetest.Backend, text string) {
	web := newHarness(b, onBackend(backend))
	ws := newHarness(b, onBackend(backend), withLongConn(), withLease(leaseTiming{}), withEnv("QUNBOT_AIBOT_WS_PING", "30s"))
	ws.subscribed(1)
	paths := []*answerPath{{name: "webhook", ask: web.webhookAsk}, {name: "longconn", ask: ws.longConnAsk}}
	run := fmt.Sprintf("%x", time.Now().UnixNano()) // the backend outlives this run: ids must not repeat
	b.ResetTimer()
	for round := 0; round*answerBurst < b.N; round++ {
		n := min(answerBurst, b.N-round*answerBurst)
		first := round % 2
		for k := range paths {
			if err := paths[(first+k)%2].burst(run, text, n); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	for _, p := range paths {
		slices.Sort(p.lat)
		b.ReportMetric(float64(p.sent)/p.elapsed.Seconds(), p.name+"_msgs/s")
		b.ReportMetric(ms(p.lat[len(p.lat)/2]), p.name+"_p50_ms")
		b.ReportMetric(ms(p.lat[len(p.lat)*99/100]), p.name+"_p99_ms")
	}
	webRate := float64(paths[0].sent) / paths[0].elapsed.Seconds()
	wsRate := float64(paths[1].sent) / paths[1].elapsed.Seconds()
	b.ReportMetric(wsRate/webRate, "longconn/webhook")
}

// burst sends n messages with answerSenders senders at once and waits for
// every answer.
func (p *answerPath) burst(run, text string, n int) error {
	var next atomic.Int64
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	for range answerSenders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for {
				i := next.Add(1)
				if i > int64(n) {
					break
				}
				seq := atomic.AddInt64(&p.sent, 1)
				id, chat, from := fmt.Sprintf("%s-%s-%d", p.name, run, seq), fmt.Sprintf("%s%s-%d", p.name[:2], run, seq/25),
					fmt.Sprintf("u%s-%d", run, seq)
				t0 := time.Now()
				err := p.ask(id, chat, from, text)
				mine = append(mine, time.Since(t0))
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					break
				}
			}
			mu.Lock()
			p.lat = append(p.lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	p.elapsed += time.Since(start)
	return firstErr
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// webhookAsk is one encrypted callback and its passive reply.
func (h *harness) webhookAsk(id, chat, from, text string) error {
	r, err := h.send.AIBotText(context.Background(), id, chat, from, text)
	switch {
	case err != nil:
		return err
	case r.Status != http.StatusOK || r.Text == "":
		return fmt.Errorf("webhook %s: %d %q", text, r.Status, r.Text)
	}
	return nil
}

// longConnAsk is one callback frame and the answer frame on its req_id.
func (h *harness) longConnAsk(id, chat, from, text string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := h.ws.Say(ctx, id, chat, from, text)
	if err == nil && got == "" {
		err = fmt.Errorf("long connection %s: empty answer", text)
	}
	return err
}
