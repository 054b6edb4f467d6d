package store_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qunbot/qunbot/handlers"
	"github.com/qunbot/qunbot/rules"
	"github.com/qunbot/qunbot/store"
	"github.com/qunbot/qunbot/store/storetest"
)

// The member export benchmark lists a group's members as CSV through the
// admin API (GET .../members?format=csv over loopback HTTP, the body read and
// thrown away as it arrives). Every member has a name, points (a ledger row,
// kept on the member row), a check-in and a week of activity. It reports, besides time and allocations
// per export, the peak of the live heap during the export above the live
// heap before it (peak-live-MB): bounded memory means that figure stays the
// same as the group grows. "buffered" is the baseline a non-streaming
// handler would be: every member read into memory, then the CSV written.

// seedMembers writes a group of n members straight into the tables.
func seedMembers(b *testing.B, s *store.Store, chatID string, n int) {
	b.Helper()
	joined := t0.AddDate(0, -3, 0)
	var members, names, ledger, checkins, active, days [][]any
	for i := range n {
		id := fmt.Sprintf("%s-u%06d", chatID, i)
		members = append(members, []any{chatID, id, joined, joined, t0, "", 0, false, false, 5, 5, "2026-11-21", 1})
		names = append(names, []any{id, fmt.Sprintf("成员%06d", i), t0})
		ledger = append(ledger, []any{chatID, id, 5, "checkin", "", "seed", id, chatID + id, t0})
		checkins = append(checkins, []any{chatID, id, "2026-11-21", 1, 5, false, t0})
		a := store.Activity{}
		for d := range 7 {
			day := t0.AddDate(0, 0, -d).Format(time.DateOnly)
			a = a.Mark(day)
			days = append(days, []any{chatID, day, id, 1 + i%5, t0.AddDate(0, 0, -d)})
		}
		active = append(active, append([]any{chatID, id}, a.Row()...))
	}
	for _, t := range []struct {
		name string
		cols []string
		rows [][]any
	}{
		{"members", []string{"chat_id", "user_id", "joined_at", "first_seen", "updated_at", "inviter", "join_scene", "removed",
			"approved", "points", "earned", "checkin_day", "checkin_streak"}, members},
		{"ledger", []string{"chat_id", "user_id", "delta", "kind", "reason", "source", "actor", "idem_key", "created_at"}, ledger},
		{"checkins", []string{"chat_id", "user_id", "day", "streak", "points", "makeup", "created_at"}, checkins},
		{"stat_members", []string{"chat_id", "user_id", "last_day", "bits0", "bits1"}, active},
		{"stat_member_days", []string{"chat_id", "day", "user_id", "messages", "last_at"}, days},
	} {
		if err := store.BulkInsert(s, t.name, t.cols, t.rows); err != nil {
			b.Fatal(err)
		}
	}
	if err := store.BulkInsert(s, "directory", []string{"user_id", "name", "updated_at"}, names); err != nil {
		b.Fatal(err)
	}
}

// liveHeap samples the live heap (as of the last GC) until stop, keeping
// the highest.
func liveHeap(stop <-chan struct{}, peak *atomic.Uint64) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	for {
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > peak.Load() {
			peak.Store(v)
		}
		select {
		case <-stop:
			return
		case <-time.After(200 * time.Microsecond):
		}
	}
}

// measure runs export b.N times and reports the peak live heap above the
// one before, in MB.
func measure(b *testing.B, export func() int) {
	defer debug.SetGCPercent(debug.SetGCPercent(20)) // collect often, so the live heap is sampled often
	runtime.GC()
	base := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { liveHeap(stop, &peak); close(done) }()
	b.ResetTimer()
	for range b.N {
		if rows := export(); rows == 0 {
			b.Fatal("nothing exported")
		}
	}
	b.StopTimer()
	close(stop)
	<-done
	b.ReportMetric(float64(peak.Load()-min(peak.Load(), base[0].Value.Uint64()))/1e6, "peak-live-MB")
}

func BenchmarkMemberCSV(b *testing.B) {
	for _, be := range storetest.Backends(b) {
		s := storetest.Open(b, be)
		clk := func() time.Time { return t0 }
		e, err := rules.New(rules.Deps{Store: s, Counters: s, Now: clk, Location: shanghai})
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(handlers.New(handlers.Deps{AdminToken: "t", Admin: e, Members: e, Now: clk}))
		b.Cleanup(srv.Close)
		for _, n := range []int{1_000, 10_000} {
			chatID := "G" + strconv.Itoa(n)
			seedMembers(b, s, chatID, n)
			b.Run(fmt.Sprintf("%s/streamed/%d", be.Name, n), func(b *testing.B) {
				measure(b, func() int { return streamCSV(b, srv.URL, chatID) })
			})
			b.Run(fmt.Sprintf("%s/buffered/%d", be.Name, n), func(b *testing.B) {
				measure(b, func() int { return bufferCSV(b, e, chatID) })
			})
		}
	}
}

// streamCSV downloads the export and counts its lines as they arrive.
func streamCSV(b *testing.B, base, chatID string) int {
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/groups/"+chatID+"/members?format=csv", nil)
	req.Header.Set("Authorization", "Bearer t")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b.Fatalf("export: %d", res.StatusCode)
	}
	lines := 0
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		lines += bytes.Count(buf[:n], []byte("\n"))
		if err == io.EOF {
			return lines
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// bufferCSV is the baseline: every member in memory first, then the CSV.
func bufferCSV(b *testing.B, e *rules.Engine, chatID string) int {
	var all []rules.MemberView
	err := e.Members(context.Background(), chatID, rules.MemberFilter{}, func(m rules.MemberView) error {
		all = append(all, m)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	for _, m := range all {
		w.Write([]string{m.UserID, m.Name, strconv.Itoa(m.Points), strconv.Itoa(m.Level), m.Title,
			strconv.Itoa(m.CheckinStreak), m.LastCheckinDay, strconv.Itoa(m.Warnings), m.Segment})
	}
	w.Flush()
	return bytes.Count(out.Bytes(), []byte("\n"))
}
