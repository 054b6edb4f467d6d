package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestStoresNotice: the start-up line calls only the full embedded default
// by that name, and says which store is embedded otherwise.
func TestStoresNotice(t *testing.T) {
	tests := []struct {
		db, redis     bool
		want, notWant string
	}{
		{true, true, "embedded default", ""},
		{false, true, "set QUNBOT_REDIS_URL", "embedded default"},
		{true, false, "set QUNBOT_MYSQL_DSN", "embedded default"},
		{false, false, "", ""},
	}
	for _, tt := range tests {
		got := storesNotice(tt.db, tt.redis)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) || (tt.notWant != "" && strings.Contains(got, tt.notWant)) {
			t.Errorf("embedded db %v, redis %v: %q, want it to say %q and not %q", tt.db, tt.redis, got, tt.want, tt.notWant)
		}
	}
}

// TestReadmeStandsAlone: users have the README, not the design documents.
func TestReadmeStandsAlone(t *testing.T) {
	readme := repoFile(t, "README.md")
	if m := regexp.MustCompile(`(INTERFACE|ARCHITECTURE|PROTOCOL|LONGCONN|USERS)\.md|section \d+\.\d+`).FindString(readme); m != "" {
		t.Errorf("README.md cites %q, which users do not have", m)
	}
	if !strings.Contains(readme, "copy `qunbot.example.yaml` to `qunbot.yaml`") {
		t.Error("README.md does not tell users to copy qunbot.example.yaml")
	}
}

// TestLocalConfigUntracked: qunbot.yaml and .env are the user's copies of
// the examples, never part of the repository.
func TestLocalConfigUntracked(t *testing.T) {
	ignored := strings.Fields(repoFile(t, ".gitignore"))
	for _, want := range []string{"/qunbot.yaml", "/.env"} {
		if !strings.Contains(strings.Join(ignored, " "), want) {
			t.Errorf(".gitignore does not ignore %s", want)
		}
	}
	out, err := exec.Command("git", "-C", "../..", "ls-files", "qunbot.yaml", ".env").Output()
	if err != nil {
		return // not a git checkout (a source archive): .gitignore is all there is to check
	}
	if tracked := strings.TrimSpace(string(out)); tracked != "" {
		t.Errorf("tracked by git: %s", tracked)
	}
}
