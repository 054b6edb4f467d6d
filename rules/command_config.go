package rules

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

const configUsage = sayUseConfig

var configCommand = &Command{
	Name: "config", Aliases: []string{"设置"}, Usage: configUsage,
	Summary: sayAboutConfig, Role: RoleAdmin, Run: runConfig,
}

// ownerOnlySettings may only be changed by the owner or a global admin: they
// decide who runs the group and where the bot posts.
var ownerOnlySettings = map[string]bool{"owner": true, "kind": true, "webhook_key": true}

func runConfig(ctx context.Context, t *Turn, a Args) (string, error) {
	if a.Raw == "" {
		return showConfig(ctx, t)
	}
	key, value := a.Get(0), a.Rest(1)
	if value == "" {
		return "", Userf(sayUsage, configUsage)
	}
	if err := CheckSetting(key, value); err != nil {
		return "", refusedSetting(key, err)
	}
	if ownerOnlySettings[key] {
		if role, err := t.Role(ctx); err != nil {
			return "", err
		} else if role < RoleOwner {
			return "", t.deny(ctx, "/config "+key)
		}
	}
	if err := t.Tx.SetSetting(ctx, t.Event.ChatID, key, value, t.Event.From, t.Now); err != nil {
		return "", err
	}
	t.settingsDirty(t.Event.ChatID)
	if key == "welcome" {
		keepWelcomeTemplate(t, value)
	}
	if secretSettings[key] {
		value = sayConfigSecret
	}
	return fmt.Sprintf(sayConfigSet, key, value), nil
}

// refusedSetting says why /config did not change key, naming the key once;
// an unknown key suggests the nearest setting.
func refusedSetting(key string, err error) error {
	if !errors.Is(err, errUnknownSetting) {
		return Userf(sayConfigRefused, key, err)
	}
	if near, ok := nearest(key, SettingNames()); ok {
		return Userf(sayConfigUnknown, key, near)
	}
	return Userf(sayConfigUnknownBare, key)
}

func showConfig(ctx context.Context, t *Turn) (string, error) {
	layers, err := t.e.settings.layers(ctx, t.Tx, t.Event.ChatID)
	if err != nil {
		return "", err
	}
	values := layers.Effective()
	var b strings.Builder
	fmt.Fprintf(&b, sayConfigTitle, t.GroupName())
	for _, k := range SettingNames() {
		v := values[k]
		if secretSettings[k] && v != "" {
			v = sayConfigSecret
		}
		if v == "" {
			v = sayConfigEmpty
		}
		fmt.Fprintf(&b, "\n%s = %s", k, v)
	}
	return b.String(), nil
}
