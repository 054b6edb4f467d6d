package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"gopkg.in/yaml.v3"

	"github.com/qunbot/qunbot/config"
	"github.com/qunbot/qunbot/store/storetest"
)

// composeFile is the part of docker-compose.yml these tests read.
type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Restart     string            `yaml:"restart"`
		Ports       []string          `yaml:"ports"`
		Environment map[string]string `yaml:"environment"`
		EnvFile     any               `yaml:"env_file"`
		Volumes     []string          `yaml:"volumes"`
		Profiles    []string          `yaml:"profiles"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
}

// repoFile reads a file at the root of the repository.
func repoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// dotenv reads a .env file as docker compose does: KEY=VALUE lines, # comments.
func dotenv(t *testing.T, text string) map[string]string {
	t.Helper()
	vars := map[string]string{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf(".env line %d has no '=': %q", i+1, line)
		}
		vars[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
	}
	return vars
}

var composeVar = regexp.MustCompile(`\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// interpolate expands ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error},
// $VAR and $$ the way docker compose does.
func interpolate(s string, vars map[string]string) (string, error) {
	var problem error
	out := composeVar.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$$" {
			return "$"
		}
		g := composeVar.FindStringSubmatch(m)
		name, op, arg := g[1]+g[4], g[2], g[3]
		v, set := vars[name]
		switch {
		case op == ":-" && v == "", op == "-" && !set:
			return arg
		case op == ":?" && v == "", op == "?" && !set:
			problem = fmt.Errorf("%s: %s", name, arg)
		}
		return v
	})
	return out, problem
}

// renderedCompose is docker-compose.yml as `docker compose up` sees it with
// .env.example copied to .env: every string interpolated.
func renderedCompose(t *testing.T) (composeFile, map[string]string) {
	t.Helper()
	vars := dotenv(t, repoFile(t, ".env.example"))
	text, err := interpolate(repoFile(t, "docker-compose.yml"), vars)
	if err != nil {
		t.Fatalf("docker-compose.yml with .env.example: %v", err)
	}
	var c composeFile
	if err := yaml.Unmarshal([]byte(text), &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return c, vars
}

// imageEnv is the ENV the Dockerfile's final stage sets.
func imageEnv(t *testing.T) map[string]string {
	t.Helper()
	stages := strings.Split(repoFile(t, "Dockerfile"), "\nFROM ")
	env := map[string]string{}
	for _, line := range strings.Split(stages[len(stages)-1], "\n") {
		if rest, ok := strings.CutPrefix(line, "ENV "); ok {
			for _, kv := range strings.Fields(rest) {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
			}
		}
	}
	return env
}

// TestComposeStackStarts: `cp .env.example .env && docker compose up` gives
// qunbot a configuration it starts with, on the embedded stores and, when
// the tests have MySQL, on MySQL; and its health check passes.
func TestComposeStackStarts(t *testing.T) {
	c, vars := renderedCompose(t)
	q := c.Services["qunbot"]
	env := imageEnv(t)
	if q.EnvFile != nil {
		// as compose would: .env is the copied .env.example
		t.Errorf("qunbot has env_file %v: .env's MySQL passwords would reach it; name its settings in environment", q.EnvFile)
		for k, v := range vars {
			env[k] = v
		}
	}
	for k, v := range q.Environment {
		env[k] = v
	}
	for k := range env {
		if !strings.HasPrefix(k, "QUNBOT_") {
			t.Errorf("qunbot's environment has %s, which is not one of its settings", k)
		}
	}
	for _, k := range config.EnvKeys() {
		if _, ok := env[k]; !ok {
			t.Errorf("docker-compose.yml does not hand %s from .env to qunbot", k)
		}
	}
	checkComposeStores(t, c, vars, env["QUNBOT_MYSQL_DSN"], env["QUNBOT_REDIS_URL"])

	// the file mounted at QUNBOT_CONFIG, read from the repository
	for _, v := range q.Volumes {
		src, target, _ := strings.Cut(strings.TrimSuffix(v, ":ro"), ":")
		if target == env["QUNBOT_CONFIG"] {
			env["QUNBOT_CONFIG"] = filepath.Join("..", "..", src)
		}
	}
	if _, err := os.Stat(env["QUNBOT_CONFIG"]); err != nil {
		t.Fatalf("the YAML file compose mounts by default: %v", err)
	}

	// Stores this test can reach stand in for the stack's mysql and redis
	// containers: the embedded ones, and MySQL when the tests have it.
	for _, b := range storetest.Backends(t) {
		name := "embedded"
		if b.Options.MySQLDSN != "" {
			name = "mysql"
		} else if b.Name != name {
			continue
		}
		t.Run(name, func(t *testing.T) {
			run := maps.Clone(env)
			run["QUNBOT_DATA_DIR"], run["QUNBOT_ADDR"] = t.TempDir(), freeAddr(t) // the qunbot-data volume
			run["QUNBOT_MYSQL_DSN"], run["QUNBOT_REDIS_URL"] = b.Options.MySQLDSN, ""
			composeServe(t, run)
		})
	}
}

// checkComposeStores: qunbot's DSN and Redis URL name the stack's own
// services, user, password and database.
func checkComposeStores(t *testing.T, c composeFile, vars map[string]string, dsn, redisURL string) {
	t.Helper()
	my := c.Services["mysql"].Environment
	d, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("QUNBOT_MYSQL_DSN: %v", err)
	}
	if d.Addr != "mysql:3306" || d.User != my["MYSQL_USER"] || d.Passwd != my["MYSQL_PASSWORD"] || d.DBName != my["MYSQL_DATABASE"] {
		t.Errorf("QUNBOT_MYSQL_DSN is %s@%s/%s, want the mysql service's %s@mysql:3306/%s with its password",
			d.User, d.Addr, d.DBName, my["MYSQL_USER"], my["MYSQL_DATABASE"])
	}
	if my["MYSQL_PASSWORD"] != vars["MYSQL_PASSWORD"] {
		t.Errorf("MySQL's password is not .env's MYSQL_PASSWORD")
	}
	if !strings.HasPrefix(redisURL, "redis://redis:6379/") {
		t.Errorf("QUNBOT_REDIS_URL = %q, want the redis service", redisURL)
	}
}

// composeServe runs qunbot serve with env until /readyz answers, runs the
// container's health check against it, and stops it.
func composeServe(t *testing.T, env map[string]string) {
	t.Helper()
	getenv := func(k string) string { return env[k] }
	if _, err := loadConfig(getenv); err != nil {
		t.Fatalf("qunbot would not start with .env.example:\n%v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	exited := make(chan int, 1)
	go func() { exited <- run(ctx, []string{"serve"}, getenv, strings.NewReader(""), &out, &errOut) }()
	defer func() {
		cancel()
		if code := <-exited; code != 0 {
			t.Errorf("serve exited %d: %s", code, errOut.String())
		}
	}()
	waitHealthy(t, "http://"+env["QUNBOT_ADDR"])
	var hcErr strings.Builder
	if code := run(ctx, []string{"healthcheck"}, getenv, nil, &strings.Builder{}, &hcErr); code != 0 {
		t.Errorf("the container health check failed: %s", hcErr.String())
	}
	if _, err := os.Stat(filepath.Join(env["QUNBOT_DATA_DIR"], config.DemoFile)); err != nil {
		t.Errorf("no demo credentials in the data volume: %v", err)
	}
}

// passwordArg is a command-line argument that carries a password.
var passwordArg = regexp.MustCompile(`^(-p\S+|--password(=.*)?|.*PASSWORD.*|.*MYSQL_PWD.*)$`)

// TestComposeStackIsSafe: what the stack publishes, pins and keeps secret.
func TestComposeStackIsSafe(t *testing.T) {
	c, vars := renderedCompose(t)
	q := c.Services["qunbot"]
	if !slices.ContainsFunc(q.Ports, func(p string) bool { return strings.HasPrefix(p, "127.0.0.1:") }) || len(q.Ports) != 1 {
		t.Errorf("qunbot's ports %q: want 8080 published on 127.0.0.1 only (a TLS proxy forwards to it)", q.Ports)
	}
	if !regexp.MustCompile(`^(no|on-failure:\d+)$`).MatchString(q.Restart) {
		t.Errorf("qunbot restart: %q; a configuration problem would restart it for ever", q.Restart)
	}
	pinned := regexp.MustCompile(`^[a-z0-9./_-]+:\d+\.\d+\.\d+$`)
	for name, s := range c.Services {
		if s.Build == nil && !pinned.MatchString(s.Image) {
			t.Errorf("service %s: image %q is not pinned to a version (x.y.z)", name, s.Image)
		}
		for _, arg := range s.Healthcheck.Test {
			if passwordArg.MatchString(arg) || (vars["MYSQL_PASSWORD"] != "" && strings.Contains(arg, "-p"+vars["MYSQL_PASSWORD"])) {
				t.Errorf("service %s: the health check %q has a password on its command line", name, s.Healthcheck.Test)
			}
		}
		if _, ok := s.Environment["MYSQL_ROOT_PASSWORD"]; ok {
			t.Errorf("service %s is given a root password; MySQL's is random", name)
		}
	}
	if !slices.Contains(c.Services["caddy"].Profiles, "tls") || !strings.Contains(repoFile(t, "deploy/Caddyfile"), "reverse_proxy qunbot:8080") {
		t.Error("no TLS reverse proxy example (the caddy service under the tls profile, deploy/Caddyfile)")
	}

	docker := repoFile(t, "Dockerfile")
	if !regexp.MustCompile(`(?m)^FROM golang:\d+\.\d+\.\d+ `).MatchString(docker) {
		t.Error("the Dockerfile's Go image is not pinned to a version")
	}
	if !regexp.MustCompile(`(?m)^COPY --from=build --chown=65532:65532 \S+ /data$`).MatchString(docker) ||
		!regexp.MustCompile(`(?m)^USER 65532`).MatchString(docker) {
		t.Error("the image's /data is not owned by the user qunbot runs as: a new volume would not be writable")
	}
	ignored := strings.Fields(repoFile(t, ".dockerignore"))
	for _, want := range []string{".git", ".env", "data/", "qunbot.yaml"} {
		if !slices.Contains(ignored, want) {
			t.Errorf(".dockerignore does not keep %s out of the build", want)
		}
	}
}
