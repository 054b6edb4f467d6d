package main

import (
	"context"
	"crypto/rsa"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot/archive"
)

// withArchive turns on full-traffic mode with a fake archive (h.archive).
func withArchive() harnessOption { return func(s *harnessSetup) { s.archive = true } }

var (
	testArchiveKeyOnce sync.Once
	testArchiveKeyPEM  []byte
	testArchiveKey     *rsa.PrivateKey
)

// fakeArchive writes the test key pair into dir, configures the archive
// keys in env and returns a fake archive encrypting to the key.
func fakeArchive(t testing.TB, dir string, env map[string]string) *archive.Fake {
	t.Helper()
	testArchiveKeyOnce.Do(func() {
		keyDir, err := os.MkdirTemp("", "qunbot-archive-key-")
		if err != nil {
			panic(err)
		}
		defer os.RemoveAll(keyDir)
		path, key, err := archiveKeyFile(keyDir)
		if err != nil {
			panic(err)
		}
		testArchiveKeyPEM, _ = os.ReadFile(path)
		testArchiveKey = key
	})
	path := filepath.Join(dir, "archive-key.pem")
	if err := os.WriteFile(path, testArchiveKeyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	env["QUNBOT_ARCHIVE_SECRET"], env["QUNBOT_ARCHIVE_PRIVATE_KEY_FILE"] = "test-archive-secret", path
	return archive.NewFake(&testArchiveKey.PublicKey, 1)
}

// archived says text in chatID without @-mentioning the bot, at the clock's
// time; nothing reaches qunbot until pull.
func (h *harness) archived(chatID, from, text string) string {
	h.t.Helper()
	id, err := h.archive.Say(archive.Text{ChatID: chatID, From: from, Text: text, At: h.clock.Now()})
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

// pull sends msgaudit_notify through the app callback and pulls (the
// harness runs no background loops), returning how many records were handled.
func (h *harness) pull() int {
	h.t.Helper()
	r, err := h.send.AppArchiveNotify(context.Background(), h.clock.Now())
	h.replyText(r, err)
	n, err := h.app.puller.Pull(context.Background())
	if err != nil {
		h.t.Fatalf("pull: %v", err)
	}
	return n
}

// sayArchived is archived then pull, with the clock moved past the cooldown.
func (h *harness) sayArchived(chatID, from, text string) {
	h.t.Helper()
	h.archived(chatID, from, text)
	h.pull()
	h.advance(61 * time.Second)
}
