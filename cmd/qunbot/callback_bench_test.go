package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/qunbot/qunbot/store/storetest"
)

// BenchmarkCallback measures one 智能机器人 callback end to end over loopback
// HTTP: the sender encrypts and signs, the server verifies, decrypts, parses,
// claims the delivery, decides, records, encrypts the reply and answers, and
// the sender checks and decrypts the answer.
func BenchmarkCallback(b *testing.B) {
	for _, backend := range storetest.Backends(b) {
		for _, c := range []struct{ name, text string }{
			{"help", "帮助"},
			{"checkin", "签到"},
			{"plain_message", "今天的发布会几点开始？"},
		} {
			b.Run(backend.Name+"/"+c.name, func(b *testing.B) {
				h := newHarness(b, onBackend(backend))
				run := time.Now().UnixNano() // the backend outlives this run: ids must not repeat
				b.ResetTimer()
				for i := range b.N {
					// a new member each time, so every check-in is a first one
					h.sayID(fmt.Sprintf("bench-%d-%d", run, i), "G1", fmt.Sprintf("u%d-%d", run, i), c.text)
				}
			})
		}
	}
}

// BenchmarkCallbackRetry measures a redelivery answered from the reply cache.
func BenchmarkCallbackRetry(b *testing.B) {
	h := newHarness(b)
	h.sayID("retry-1", "G1", "bob", "帮助")
	b.ResetTimer()
	for range b.N {
		h.sayID("retry-1", "G1", "bob", "帮助")
	}
}
