package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot/archive"
	"github.com/qunbot/qunbot/store/storetest"
)

// BenchmarkArchiveBacklog drains a backlog of b.N archive records (400
// members in 20 groups, ordinary chat a minute apart per member) through the
// whole pipeline: the fake archive over its Source, RSA-2048 and the message
// decryption, decoding, the engine's hot path and the group commit, the
// cursor. While it drains, 智能机器人 callbacks arrive at 20 a second
// through the real HTTP path; their latency says whether the backlog
// starves them. Run with -benchtime=20000x and the like: b.N is records.
func BenchmarkArchiveBacklog(b *testing.B) {
	for _, bk := range storetest.Backends(b) {
		b.Run(bk.Name, func(b *testing.B) {
			h := newHarness(b, onBackend(bk), withArchive())
			// b.Run runs more than once on one database: start after its cursor.
			if seq, err := h.app.store.ArchiveCursor(context.Background()); err != nil {
				b.Fatal(err)
			} else {
				h.archive.SkipTo(seq)
			}
			fillBenchBacklog(b, h.archive, b.N)
			idle := h.liveCallbacks(20) // the same callbacks with nothing to drain, for comparison
			time.Sleep(3 * time.Second)
			idleLat := idle()
			stop := h.liveCallbacks(20)
			b.ResetTimer()
			start := time.Now()
			n, err := h.app.puller.Pull(context.Background())
			elapsed := time.Since(start)
			b.StopTimer()
			lat := stop()
			if err != nil || n != b.N {
				b.Fatalf("pulled %d of %d: %v", n, b.N, err)
			}
			b.ReportMetric(float64(n)/elapsed.Seconds(), "records/s")
			b.ReportMetric(0, "ns/op")
			reportLatency(b, "idle", idleLat) // after ResetTimer, which drops metrics
			reportLatency(b, "draining", lat)
		})
	}
}

// reportLatency reports the median and 99th percentile of callback latencies.
func reportLatency(b *testing.B, when string, lat []time.Duration) {
	if len(lat) == 0 {
		return // the run was too short for one (b.N = 1)
	}
	slices.Sort(lat)
	b.ReportMetric(ms(lat[len(lat)/2]), when+"-p50-ms")
	b.ReportMetric(ms(lat[len(lat)*99/100]), when+"-p99-ms")
}

func fillBenchBacklog(b *testing.B, f *archive.Fake, n int) {
	b.Helper()
	const members = 400
	base := harnessStart.Add(-48 * time.Hour)
	for i := range n {
		at := base.Add(time.Duration(i/members) * 61 * time.Second)
		m := i % members
		_, err := f.Say(archive.Text{ChatID: fmt.Sprintf("B%d", m%20), From: fmt.Sprintf("u%d", m),
			Text: fmt.Sprintf("第%d条消息", i), At: at})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// liveCallbacks sends @-messages at perSecond until the returned func is
// called, which returns each one's latency.
func (h *harness) liveCallbacks(perSecond int) func() []time.Duration {
	var (
		mu  sync.Mutex
		lat []time.Duration
		wg  sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(context.Background())
	tick := time.NewTicker(time.Second / time.Duration(perSecond))
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				start := time.Now()
				r, err := h.send.AIBotText(context.Background(), fmt.Sprintf("live-%d", i), "G1", fmt.Sprintf("live%d", i%50), "积分")
				if err != nil || r.Status != 200 {
					return
				}
				mu.Lock()
				lat = append(lat, time.Since(start))
				mu.Unlock()
			}()
		}
	}()
	return func() []time.Duration {
		cancel()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		return lat
	}
}
