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
		{"unknown top-level key", "adress: ':1'\n", []string{"QUNBOT_CONFIG（PATH 中的 adress）：未知的配置项"}},
		{"unknown nested key", "wecom:\n  app: {agentid: 3}\n", []string{"QUNBOT_CONFIG（PATH 中的 wecom.app.agentid）：未知的配置项"}},
		{"section not a map", "wecom: ww1\n", []string{"QUNBOT_CONFIG（PATH 中的 wecom）：应为「键: 值」的映射"}},
		{"value is a map", "addr: {port: 1}\n", []string{"QUNBOT_CONFIG（PATH 中的 addr）：应为一个值或一组值"}},
		{"list of maps in a group", "groups:\n  G1:\n    levels: [{a: 1}]\n",
			[]string{"QUNBOT_CONFIG（PATH 中的 groups.G1.levels）：列表里只能是普通的值"}},
		{"groups not a map", "groups: [G1]\n", []string{"QUNBOT_CONFIG（PATH 中的 groups）：应为「群 chatid: 设置」的映射"}},
		{"defaults not a map", "defaults: 5\n", []string{"QUNBOT_CONFIG（PATH 中的 defaults）：应为「设置项: 值」的映射"}},
		{"top level a list", "- a\n", []string{"QUNBOT_CONFIG：PATH 的顶层应为「键: 值」的映射"}},
		{"bad value from the file", "timezone: Mars/Base\nlog_format: xml\n", []string{
			"QUNBOT_TIMEZONE（PATH 中的 timezone）：不认识的时区「Mars/Base」，应如 Asia/Shanghai",
			"QUNBOT_LOG_FORMAT（PATH 中的 log_format）：应为 text、json 之一"}},
		{"not YAML", "addr: ':1'\n  bad: [\n", []string{"QUNBOT_CONFIG：PATH 不是有效的 YAML（第 1 行有语法错误）"}},
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
