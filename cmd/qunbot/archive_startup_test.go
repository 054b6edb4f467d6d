//go:build !msgaudit

// The msgaudit build links the vendor SDK, so this file is for the default
// build only.

package main

import (
	"context"
	"strings"
	"testing"

	"github.com/qunbot/qunbot/bot/archive"
)

// The default build has no vendor SDK: asked for full-traffic mode it
// refuses to start with one line that names the build tag.
func TestFullTrafficWithoutTheSDKRefusesToStart(t *testing.T) {
	if archive.SDKBuilt {
		t.Fatal("the default build links the vendor SDK")
	}
	dir := t.TempDir()
	env := map[string]string{"QUNBOT_DATA_DIR": dir, "QUNBOT_ADDR": "127.0.0.1:0", "QUNBOT_CONFIG": ""}
	fakeArchive(t, dir, env) // real keys, so only the SDK is missing
	var out, errOut strings.Builder
	code := run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", code, errOut.String())
	}
	msg := strings.TrimSpace(errOut.String())
	if strings.Count(msg, "\n") != 0 || !strings.Contains(msg, "-tags msgaudit") {
		t.Errorf("stderr %q: want one line naming the build tag", msg)
	}
}
