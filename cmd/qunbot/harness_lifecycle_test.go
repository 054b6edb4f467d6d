package main

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/qunbot/qunbot/bot/wecomtest"
)

// callsMentioning returns the calls to path whose body mentions every want.
func (h *harness) callsMentioning(path string, want ...string) []wecomtest.Call {
	h.t.Helper()
	var out []wecomtest.Call
	for _, c := range h.api.CallsTo(path) {
		if containsAll(string(c.Body), want...) {
			out = append(out, c)
		}
	}
	return out
}

func containsAll(s string, want ...string) bool {
	for _, w := range want {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// member reads the admin API's member object.
func (h *harness) member(chatID, userID string) map[string]any {
	h.t.Helper()
	status, body := h.get("/api/v1/groups/" + chatID + "/members/" + userID)
	if status != 200 {
		h.t.Fatalf("member %s/%s: %d %s", chatID, userID, status, body)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		h.t.Fatal(err)
	}
	return m
}

// welcomeDue lets the gathering delay pass and runs the outbox until the
// welcome is out. A failed read-back delivers nothing itself but queues the
// welcome, so the worker runs a second time.
func (h *harness) welcomeDue() {
	h.t.Helper()
	h.advance(5 * time.Second)
	h.flush()
	h.flush()
}
