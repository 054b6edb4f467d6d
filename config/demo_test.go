package config

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

var (
	tokenRe  = regexp.MustCompile(`^[A-Za-z0-9]{32}$`)
	aesKeyRe = regexp.MustCompile(`^[A-Za-z0-9]{43}$`)
	corpRe   = regexp.MustCompile(`^ww[0-9a-f]{16}$`)
)

func TestDemoCredentialsGeneratedOnceThenReused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	first := mustLoad(t, map[string]string{"QUNBOT_DATA_DIR": dir})
	generated, err := EnsureDemoCredentials(first)
	if err != nil || !generated {
		t.Fatalf("first start: generated %v, err %v; want true, nil", generated, err)
	}
	w := first.WeCom
	for _, c := range []struct {
		name, v string
		re      *regexp.Regexp
	}{
		{"CorpID", w.CorpID, corpRe}, {"App.Token", w.App.Token, tokenRe}, {"App.AESKey", w.App.AESKey, aesKeyRe},
		{"AIBot.Token", w.AIBot.Token, tokenRe}, {"AIBot.AESKey", w.AIBot.AESKey, aesKeyRe},
	} {
		if !c.re.MatchString(c.v) {
			t.Errorf("%s = %q, want to match %s", c.name, c.v, c.re)
		}
	}
	if w.App.Token == w.AIBot.Token || w.App.AESKey == w.AIBot.AESKey {
		t.Errorf("app and aibot got the same demo values")
	}
	info, err := os.Stat(filepath.Join(dir, DemoFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("demo file: %v, mode %v; want 0600", err, info)
	}

	second := mustLoad(t, map[string]string{"QUNBOT_DATA_DIR": dir})
	generated, err = EnsureDemoCredentials(second)
	if err != nil || generated {
		t.Fatalf("second start: generated %v, err %v; want false, nil", generated, err)
	}
	if !reflect.DeepEqual(second.WeCom, first.WeCom) {
		t.Errorf("second start got %+v, want the stored %+v", second.WeCom, first.WeCom)
	}
	if got, want := strings.Join(second.DemoKeys, ","),
		"QUNBOT_CORP_ID,QUNBOT_APP_TOKEN,QUNBOT_APP_AES_KEY,QUNBOT_AIBOT_TOKEN,QUNBOT_AIBOT_AES_KEY"; got != want {
		t.Errorf("DemoKeys = %s, want %s", got, want)
	}
}

func TestDemoCredentialsKeepConfiguredValues(t *testing.T) {
	dir := t.TempDir()
	c := mustLoad(t, map[string]string{"QUNBOT_DATA_DIR": dir, "QUNBOT_CORP_ID": "wwreal",
		"QUNBOT_APP_TOKEN": "realtoken", "QUNBOT_APP_AES_KEY": goodKey})
	if _, err := EnsureDemoCredentials(c); err != nil {
		t.Fatal(err)
	}
	if c.WeCom.CorpID != "wwreal" || c.WeCom.App.Token != "realtoken" || c.WeCom.App.AESKey != goodKey {
		t.Errorf("configured values replaced: %+v", c.WeCom)
	}
	if got, want := strings.Join(c.DemoKeys, ","), "QUNBOT_AIBOT_TOKEN,QUNBOT_AIBOT_AES_KEY"; got != want {
		t.Errorf("DemoKeys = %s, want %s", got, want)
	}

	full := mustLoad(t, map[string]string{"QUNBOT_DATA_DIR": filepath.Join(dir, "none"), "QUNBOT_CORP_ID": "ww1",
		"QUNBOT_APP_TOKEN": "t", "QUNBOT_APP_AES_KEY": goodKey, "QUNBOT_AIBOT_TOKEN": "t", "QUNBOT_AIBOT_AES_KEY": goodKey})
	if generated, err := EnsureDemoCredentials(full); err != nil || generated || len(full.DemoKeys) != 0 {
		t.Errorf("fully configured: generated %v, DemoKeys %v, err %v", generated, full.DemoKeys, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "none")); !os.IsNotExist(err) {
		t.Errorf("a fully configured start wrote a demo file (stat err %v)", err)
	}
}

func TestDemoCredentialsBadFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, DemoFile), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := mustLoad(t, map[string]string{"QUNBOT_DATA_DIR": dir})
	if _, err := EnsureDemoCredentials(c); err == nil || !strings.HasPrefix(err.Error(), "QUNBOT_DATA_DIR：") {
		t.Errorf("err = %v, want a QUNBOT_DATA_DIR problem for a corrupt demo file", err)
	}
}

// A data dir qunbot cannot write (a root-owned volume under a non-root
// image) is said like any other configuration problem, naming the key.
func TestDemoCredentialsUnwritableDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	c := mustLoad(t, map[string]string{"QUNBOT_DATA_DIR": filepath.Join(file, "data")})
	_, err := EnsureDemoCredentials(c)
	if err == nil || !strings.HasPrefix(err.Error(), "QUNBOT_DATA_DIR：无法把生成的演示凭据写入") {
		t.Errorf("err = %v, want a QUNBOT_DATA_DIR problem", err)
	}
}

func TestNewLogger(t *testing.T) {
	tests := []struct {
		level, format string
		wantInfo      bool
		wantPrefix    string
	}{
		{"info", "text", true, "time="},
		{"warn", "json", false, `{"time":`},
		{"debug", "json", true, `{"time":`},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		log := NewLogger(&Config{LogLevel: tt.level, LogFormat: tt.format}, &buf)
		log.Info("hello", "chat_id", "G1")
		log.Error("boom")
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if got, want := len(lines) == 2, tt.wantInfo; got != want {
			t.Errorf("%s/%s: info logged = %v, want %v (%q)", tt.level, tt.format, got, want, lines)
		}
		if !strings.HasPrefix(lines[0], tt.wantPrefix) {
			t.Errorf("%s/%s: line %q, want prefix %q", tt.level, tt.format, lines[0], tt.wantPrefix)
		}
	}
}
