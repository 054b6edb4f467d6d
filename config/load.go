package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// setting is a field's text value and the name to blame when it is wrong.
type setting struct {
	text  string
	label string
}

// SettingsProblem is one bad per-group setting of the YAML file: Key is its
// path there ("defaults.checkin.points", "groups.G1.kind"), Text what is
// wrong, in the same language as every other problem.
type SettingsProblem struct{ Key, Text string }

// SettingsCheck validates the file's per-group settings, which another
// package owns (rules); Load reports its problems with the rest.
type SettingsCheck func(defaults map[string]string, groups map[string]map[string]string) []SettingsProblem

// Load reads the configuration: built-in defaults, then the YAML file named by
// QUNBOT_CONFIG, then the environment (KEY, or KEY_FILE for secrets). When
// anything is wrong it returns a *ValidationError naming every bad key: one
// mistake never hides another, so the per-group settings are checked (by
// checks) even when other keys are wrong.
func Load(getenv func(string) string, checks ...SettingsCheck) (*Config, error) {
	var problems []string
	values := make(map[string]setting, len(fields))
	for _, f := range fields {
		values[f.env] = setting{f.def, f.env}
	}

	c := &Config{Defaults: map[string]string{}, Groups: map[string]map[string]string{}}
	if path := getenv("QUNBOT_CONFIG"); path != "" {
		file, errs := readFile(path)
		problems = append(problems, errs...)
		for _, f := range fields {
			if v, ok := file.values[f.yaml]; ok {
				values[f.env] = setting{v, fmt.Sprintf("%s（%s 中的 %s）", f.env, path, f.yaml)}
			}
		}
		c.Defaults, c.Groups = file.defaults, file.groups
	}

	for _, f := range fields {
		s, ok, problem := fromEnv(getenv, f)
		if problem != "" {
			problems = append(problems, problem)
		} else if ok {
			values[f.env] = s
		}
	}

	for _, f := range fields {
		s := values[f.env]
		if err := f.apply(c, strings.TrimSpace(s.text)); err != nil {
			problems = append(problems, s.label+"："+err.Error())
		}
	}
	problems = append(problems, crossCheck(c)...)
	if path := getenv("QUNBOT_CONFIG"); path != "" {
		for _, check := range checks {
			for _, p := range check(c.Defaults, c.Groups) {
				problems = append(problems, inFile(path, p.Key, p.Text))
			}
		}
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return c, nil
}

// fromEnv returns the environment's value for f, if it sets one. A secret may
// come from the file named by KEY_FILE instead; its trailing newline is dropped.
func fromEnv(getenv func(string) string, f field) (s setting, ok bool, problem string) {
	v := getenv(f.env)
	if !f.secret {
		return setting{v, f.env}, v != "", ""
	}
	fileKey := f.env + "_FILE"
	path := getenv(fileKey)
	switch {
	case path == "":
		return setting{v, f.env}, v != "", ""
	case v != "":
		return s, false, fmt.Sprintf("%s：%s 和 %s 只能设置一个", fileKey, f.env, fileKey)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return s, false, fmt.Sprintf("%s：读不到密钥文件 %s（%s）", fileKey, path, fileTrouble(err))
	}
	return setting{strings.TrimRight(string(b), "\r\n"), fileKey}, true, ""
}

// crossCheck finds problems that involve more than one key.
func crossCheck(c *Config) []string {
	var problems []string
	app, aibot, archive := c.WeCom.App, c.WeCom.AIBot, c.WeCom.Archive
	if app.AgentID >= 0 { // a bad agent id is its own problem
		problems = append(problems, bothOrNeither("QUNBOT_APP_AGENT_ID", app.AgentID > 0, "QUNBOT_APP_SECRET", app.Secret != "", "不调用企业微信接口")...)
	}
	problems = append(problems, bothOrNeither("QUNBOT_AIBOT_BOT_ID", aibot.BotID != "", "QUNBOT_AIBOT_SECRET", aibot.Secret != "", "用回调模式")...)
	problems = append(problems, bothOrNeither("QUNBOT_ARCHIVE_SECRET", archive.Secret != "",
		"QUNBOT_ARCHIVE_PRIVATE_KEY_FILE", archive.PrivateKeyFile != "", "不拉取会话存档")...)
	return problems
}

// bothOrNeither is the problem of two keys that go together when only one is
// set; neither says what having neither means.
func bothOrNeither(keyA string, setA bool, keyB string, setB bool, neither string) []string {
	switch {
	case setA && !setB:
		return []string{fmt.Sprintf("%s：设置了 %s 就要同时设置它（两个都不设，则%s）", keyB, keyA, neither)}
	case setB && !setA:
		return []string{fmt.Sprintf("%s：设置了 %s 就要同时设置它（两个都不设，则%s）", keyA, keyB, neither)}
	}
	return nil
}

// inFile names a problem by where it is in the YAML file.
func inFile(path, key, text string) string {
	return fmt.Sprintf("QUNBOT_CONFIG（%s 中的 %s）：%s", path, key, text)
}

// fileTroubles say why a file could not be read or written, in the
// language of the other problems (the system's own words are English).
var fileTroubles = []struct {
	err error
	say string
}{
	{fs.ErrNotExist, "不存在"}, {fs.ErrPermission, "没有权限"}, {syscall.ENOTDIR, "路径中有一段不是目录"},
	{syscall.EISDIR, "这是一个目录，不是文件"}, {syscall.ENOSPC, "磁盘已满"}, {syscall.EROFS, "文件系统只读"},
}

func fileTrouble(err error) string {
	for _, t := range fileTroubles {
		if errors.Is(err, t.err) {
			return t.say
		}
	}
	return "读写失败"
}
