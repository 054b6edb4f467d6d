package config

import (
	"fmt"
	"os"
	"strings"
)

// setting is a field's text value and the name to blame when it is wrong.
type setting struct {
	text  string
	label string
}

// Load reads the configuration: built-in defaults, then the YAML file named by
// QUNBOT_CONFIG, then the environment (KEY, or KEY_FILE for secrets). When
// anything is wrong it returns a *ValidationError naming every bad key.
func Load(getenv func(string) string) (*Config, error) {
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
				values[f.env] = setting{v, fmt.Sprintf("%s (%s in %s)", f.env, f.yaml, path)}
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
			problems = append(problems, s.label+": "+err.Error())
		}
	}
	problems = append(problems, crossCheck(c)...)
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
		return s, false, fmt.Sprintf("%s: set either %s or %s, not both", fileKey, f.env, fileKey)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return s, false, fmt.Sprintf("%s: cannot read the secret: %v", fileKey, err)
	}
	return setting{strings.TrimRight(string(b), "\r\n"), fileKey}, true, ""
}

// crossCheck finds problems that involve more than one key.
func crossCheck(c *Config) []string {
	var problems []string
	app := c.WeCom.App
	switch {
	case app.AgentID > 0 && app.Secret == "":
		problems = append(problems, "QUNBOT_APP_SECRET: must be set when QUNBOT_APP_AGENT_ID is (or unset both to disable API calls)")
	case app.AgentID == 0 && app.Secret != "":
		problems = append(problems, "QUNBOT_APP_AGENT_ID: must be set when QUNBOT_APP_SECRET is (or unset both to disable API calls)")
	}
	aibot := c.WeCom.AIBot
	switch {
	case aibot.BotID != "" && aibot.Secret == "":
		problems = append(problems, "QUNBOT_AIBOT_SECRET: must be set when QUNBOT_AIBOT_BOT_ID is (or unset both for webhook mode)")
	case aibot.BotID == "" && aibot.Secret != "":
		problems = append(problems, "QUNBOT_AIBOT_BOT_ID: must be set when QUNBOT_AIBOT_SECRET is (or unset both for webhook mode)")
	}
	return problems
}
