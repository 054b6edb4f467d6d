package config

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// DemoFile is the name, under DataDir, of the generated demo credentials.
const DemoFile = "demo-credentials.json"

type demoCredentials struct {
	CorpID      string `json:"corp_id"`
	AppToken    string `json:"app_token"`
	AppAESKey   string `json:"app_aes_key"`
	AIBotToken  string `json:"aibot_token"`
	AIBotAESKey string `json:"aibot_aes_key"`
}

// EnsureDemoCredentials fills the callback tokens, AES keys and corp id that
// are not configured with demo values, so the service can run before it is
// registered with WeCom. The values are generated once and kept in
// <DataDir>/demo-credentials.json (mode 0600); later starts reuse them.
// generated reports whether new values were made (and the file written);
// c.DemoKeys names every setting that now holds a demo value.
func EnsureDemoCredentials(c *Config) (generated bool, err error) {
	path := filepath.Join(c.DataDir, DemoFile)
	var d demoCredentials
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR): // nothing kept yet
	case err != nil:
		return false, dataDirProblem(err, "读不到 %s（%s）", path, fileTrouble(err))
	default:
		if err := json.Unmarshal(b, &d); err != nil {
			return false, dataDirProblem(err, "%s 已损坏（不是有效的 JSON）；删掉它，qunbot 会重新生成演示凭据", path)
		}
	}
	slots := []struct {
		key   string
		dst   *string
		saved *string
		gen   func() (string, error)
	}{
		{"QUNBOT_CORP_ID", &c.WeCom.CorpID, &d.CorpID, func() (string, error) { return randomHex("ww", 16) }},
		{"QUNBOT_APP_TOKEN", &c.WeCom.App.Token, &d.AppToken, func() (string, error) { return randomAlnum(32) }},
		{"QUNBOT_APP_AES_KEY", &c.WeCom.App.AESKey, &d.AppAESKey, func() (string, error) { return randomAlnum(43) }},
		{"QUNBOT_AIBOT_TOKEN", &c.WeCom.AIBot.Token, &d.AIBotToken, func() (string, error) { return randomAlnum(32) }},
		{"QUNBOT_AIBOT_AES_KEY", &c.WeCom.AIBot.AESKey, &d.AIBotAESKey, func() (string, error) { return randomAlnum(43) }},
	}
	for _, s := range slots {
		if *s.dst != "" {
			continue
		}
		if *s.saved == "" {
			if *s.saved, err = s.gen(); err != nil {
				return false, err
			}
			generated = true
		}
		*s.dst = *s.saved
		c.DemoKeys = append(c.DemoKeys, s.key)
	}
	if generated {
		if err := writeDemo(c.DataDir, path, d); err != nil {
			return false, err
		}
	}
	return generated, nil
}

func writeDemo(dir, path string, d demoCredentials) error {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("config: encode demo credentials: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return unwritable(dir, err)
	}
	tmp, err := os.CreateTemp(dir, DemoFile+".*")
	if err != nil {
		return unwritable(dir, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return unwritable(dir, err)
	}
	if err := tmp.Close(); err != nil {
		return unwritable(dir, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return unwritable(dir, err)
	}
	return nil
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomAlnum returns n characters of [A-Za-z0-9] from crypto/rand, without
// modulo bias (bytes >= 248 are drawn again).
func randomAlnum(n int) (string, error) {
	out := make([]byte, 0, n)
	buf := make([]byte, 2*n)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("config: random: %w", err)
		}
		for _, b := range buf {
			if b < 248 && len(out) < n {
				out = append(out, alphabet[b%62])
			}
		}
	}
	return string(out), nil
}

func randomHex(prefix string, n int) (string, error) {
	b := make([]byte, n/2)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("config: random: %w", err)
	}
	return prefix + fmt.Sprintf("%x", b), nil
}

// dataDirError is a problem with the data dir, said like every other
// configuration problem; the system's error stays reachable with errors.Is.
type dataDirError struct {
	text string
	err  error
}

func (e *dataDirError) Error() string { return e.text }
func (e *dataDirError) Unwrap() error { return e.err }

func dataDirProblem(err error, format string, args ...any) error {
	return &dataDirError{text: "QUNBOT_DATA_DIR：" + fmt.Sprintf(format, args...), err: err}
}

// unwritable is the problem of a data dir qunbot cannot write, as a
// root-owned volume under a non-root image is.
func unwritable(dir string, err error) error {
	return dataDirProblem(err, "无法把生成的演示凭据写入 %s（%s）；让 qunbot 的用户能写这个目录，或自己设置回调的 Token 和 EncodingAESKey",
		dir, fileTrouble(err))
}
