package main

import (
	"strings"
	"testing"

	"github.com/qunbot/qunbot/config"
)

// The start-up lines show generated demo credentials (the operator pastes
// them into the console) but never credentials the operator configured.
func TestPrintConnectShowsOnlyDemoCredentials(t *testing.T) {
	cfg := &config.Config{DataDir: "./data"}
	cfg.WeCom.CorpID = "wwcorp"
	cfg.WeCom.App.Token, cfg.WeCom.App.AESKey = "realAppToken", "realAppAESKey0123456789012345678901234567890"
	cfg.WeCom.AIBot.Token, cfg.WeCom.AIBot.AESKey = "demoAIBotToken", "demoAIBotAESKey012345678901234567890123456789"
	cfg.DemoKeys = []string{"QUNBOT_AIBOT_TOKEN", "QUNBOT_AIBOT_AES_KEY"}
	var out strings.Builder
	printConnect(&out, cfg, "127.0.0.1:8080", true)
	got := out.String()
	for _, secret := range []string{cfg.WeCom.App.Token, cfg.WeCom.App.AESKey} {
		if strings.Contains(got, secret) {
			t.Errorf("start-up output shows the configured %q:\n%s", secret, got)
		}
	}
	for _, want := range []string{cfg.WeCom.AIBot.Token, cfg.WeCom.AIBot.AESKey, "/wecom/app", "/wecom/aibot", "wwcorp"} {
		if !strings.Contains(got, want) {
			t.Errorf("start-up output lacks %q:\n%s", want, got)
		}
	}
}

// In long-connection mode there is no 智能机器人 callback URL to paste, and
// the long-connection secret is never shown.
func TestPrintConnectInLongConnectionMode(t *testing.T) {
	cfg := &config.Config{DataDir: "./data"}
	cfg.WeCom.AIBot.BotID, cfg.WeCom.AIBot.Secret = "aib123", "wsSecretValue"
	cfg.WeCom.AIBot.WSURL = "wss://openws.work.weixin.qq.com"
	var out strings.Builder
	printConnect(&out, cfg, "127.0.0.1:8080", false)
	got := out.String()
	for _, want := range []string{"long-connection mode", "aib123", "wss://openws.work.weixin.qq.com", "/wecom/app"} {
		if !strings.Contains(got, want) {
			t.Errorf("start-up output lacks %q:\n%s", want, got)
		}
	}
	for _, absent := range []string{"/wecom/aibot", "wsSecretValue"} {
		if strings.Contains(got, absent) {
			t.Errorf("start-up output shows %q:\n%s", absent, got)
		}
	}
}
