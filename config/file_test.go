package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestFileProblems(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // with PATH standing for the file's path
	}{
		{"unknown top-level key", "adress: ':1'\n", []string{`QUNBOT_CONFIG: "adress" in PATH: unknown key`}},
		{"unknown nested key", "wecom:\n  app: {agentid: 3}\n", []string{`QUNBOT_CONFIG: "wecom.app.agentid" in PATH: unknown key`}},
		{"section not a map", "wecom: ww1\n", []string{"QUNBOT_CONFIG: wecom in PATH: must be a mapping"}},
		{"value is a map", "addr: {port: 1}\n", []string{"QUNBOT_CONFIG: addr in PATH: must be a value or a list of values"}},
		{"list of maps in a group", "groups:\n  G1:\n    levels: [{a: 1}]\n",
			[]string{"QUNBOT_CONFIG: groups.G1.levels in PATH: a list may hold only plain values"}},
		{"groups not a map", "groups: [G1]\n", []string{"QUNBOT_CONFIG: groups in PATH: must be a mapping of chatid to settings"}},
		{"defaults not a map", "defaults: 5\n", []string{"QUNBOT_CONFIG: defaults in PATH: must be a mapping of settings"}},
		{"top level a list", "- a\n", []string{"QUNBOT_CONFIG: PATH must be a mapping of keys"}},
		{"bad value from the file", "timezone: Mars/Base\nlog_format: xml\n", []string{
			`QUNBOT_TIMEZONE (timezone in PATH): unknown time zone "Mars/Base"`,
			"QUNBOT_LOG_FORMAT (log_format in PATH): must be one of text, json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "q.yaml", tt.yaml)
			_, err := Load(envOf(map[string]string{"QUNBOT_CONFIG": path}))
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("err = %v, want a *ValidationError", err)
			}
			var want []string
			for _, w := range tt.want {
				want = append(want, strings.ReplaceAll(w, "PATH", path))
			}
			if !reflect.DeepEqual(verr.Problems, want) {
				t.Errorf("got  %q\nwant %q", verr.Problems, want)
			}
		})
	}
}

func TestFileFlattening(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want map[string]string
	}{
		{"nested maps", "defaults:\n  a: {b: {c: x}}\n  d: 1\n", map[string]string{"a.b.c": "x", "d": "1"}},
		{"scalars keep their text", "defaults:\n  n: 05\n  b: true\n  e: ''\n  z: ~\n",
			map[string]string{"n": "05", "b": "true", "e": "", "z": ""}},
		{"lists joined", "defaults:\n  levels:\n    - 0 新人\n    - 50 活跃成员\n", map[string]string{"levels": "0 新人, 50 活跃成员"}},
		{"aliases followed", "defaults:\n  checkin: &c {points: 7}\n  message: *c\n",
			map[string]string{"checkin.points": "7", "message.points": "7"}},
		{"empty file", "", map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustLoad(t, map[string]string{"QUNBOT_CONFIG": writeFile(t, "q.yaml", tt.yaml)})
			if !reflect.DeepEqual(c.Defaults, tt.want) {
				t.Errorf("got %q, want %q", c.Defaults, tt.want)
			}
		})
	}
}
