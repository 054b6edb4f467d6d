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
// 智能机器人 transports, side by side on the same backend:
//
//	webhook   the sender encrypts and POSTs the callback; the bot verifies,
//	          decrypts, decides and answers with an encrypted passive reply;
//	          the sender decrypts it.
//	longconn  the fake WeCom pushes aibot_msg_callback over the WebSocket; the
//	          bot decides, takes a slot of the chat's shared rate limit and
//	          sends aibot_respond_msg on the callback's req_id; the fake
//	          records it.
//
// Latency is from the callback leaving the fake to the answer reaching it.
// Each message is a new member; every 25 messages share a group (WeCom allows
// 30 answers a minute per chat, which the long connection enforces).
func BenchmarkAnswerPaths(b *testing.B) {
	for _, backend := range storetest.Backends(b) {
		for _, text := range []string{"帮助", "签到"} {
			for _, path := range []string{"webhook", "longconn"} {
				b.Run(backend.Name+"/"+text+"/"+path, func(b *testing.B) {
					benchAnswers(b, backend, path, text)
				})
			}
		}
	}
}

func benchAnswers(b *testing.B, backend storetest.Backend, path, text string) {
	opts := []harnessOption{onBackend(backend)}
	if path == "longconn" {
		opts = append(opts, withLongConn(), withLease(leaseTiming{}))
	}
	h := newHarness(b, opts...)
	if h.ws != nil {
		h.subscribed(1)
	}
	ask := h.webhookAsk
	if h.ws != nil {
		ask = h.longConnAsk
	}
	run := time.Now().UnixNano() // the backend outlives this run: ids must not repeat
	var seq atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(4) // 8 senders on 2 cores: the bot, not the sender, is the bottleneck
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			i := seq.Add(1)
			t0 := time.Now()
			err := ask(fmt.Sprintf("ap-%d-%d", run, i), fmt.Sprintf("AP%x-%d", run, i/25), fmt.Sprintf("u%x-%d", run, i), text)
			mine = append(mine, time.Since(t0))
			if err != nil {
				b.Error(err)
				return
			}
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(ms(lat[len(lat)/2]), "p50_ms")
	b.ReportMetric(ms(lat[len(lat)*99/100]), "p99_ms")
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
