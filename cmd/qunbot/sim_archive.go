package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/qunbot/qunbot/bot/archive"
)

// archiveKeyFile is the RSA key pair the fake archive encrypts to and the
// bot decrypts with, kept in dir (generated the first time).
func archiveKeyFile(dir string) (string, *rsa.PrivateKey, error) {
	path := filepath.Join(dir, "archive-private-key.pem")
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := archive.ParsePrivateKey(b)
		return path, key, err
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", nil, err
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", nil, err
	}
	block := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	return path, key, os.WriteFile(path, block, 0o600)
}

// simArchive turns on full-traffic mode for sim: a fake archive in process,
// encrypting to a key kept in the data folder.
func simArchive(dataDir string, env map[string]string) (*archive.Fake, error) {
	path, key, err := archiveKeyFile(dataDir)
	if err != nil {
		return nil, fmt.Errorf("sim archive key: %w", err)
	}
	env["QUNBOT_ARCHIVE_SECRET"], env["QUNBOT_ARCHIVE_PRIVATE_KEY_FILE"] = "sim-archive-secret", path
	return archive.NewFake(&key.PublicKey, 1), nil
}

// cmdArchive says text in the current group without @-mentioning the bot:
// it reaches qunbot only through the archive. The fake archives it, WeCom's
// msgaudit_notify goes to the app callback, and the puller pulls.
func (s *simulation) cmdArchive(ctx context.Context, text string) error {
	if text == "" {
		return fmt.Errorf("archive <text>")
	}
	if err := s.present(s.user, s.chat); err != nil {
		return err
	}
	if _, err := s.archive.Say(archive.Text{ChatID: s.chat, From: s.user, Text: text, At: s.clock.now()}); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "  [会话存档] %s 在 %s 说（没有 @机器人）：%s\n", s.user, s.chat, text)
	r, err := s.send.AppArchiveNotify(ctx, s.clock.now())
	if err != nil {
		return err
	}
	if r.Status != 200 {
		return fmt.Errorf("msgaudit_notify answered %d", r.Status)
	}
	n, err := s.app.puller.Pull(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "  (msgaudit_notify → 拉取会话存档%d条；没有被动回复，通知按群的渠道发出)\n", n)
	return nil
}
