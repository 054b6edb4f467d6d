// Command qunbot serves WeCom group-bot callbacks.
//
//	qunbot [serve]   serve the callbacks (embedded stores unless MySQL/Redis are configured)
//	qunbot sim       a local WeCom: chat as members and admins of several groups
//	qunbot migrate   apply pending schema migrations and exit
//	qunbot bench     load-test a qunbot against a bare HTTP handler
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // day boundaries in Asia/Shanghai even where the system has no zone files
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: testable with any arguments, environment
// and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, getenv, stdout)
	case "sim":
		err = sim(ctx, args, getenv, stdin, stdout)
	case "migrate":
		err = migrate(ctx, getenv, stdout)
	case "healthcheck":
		err = healthcheck(ctx, getenv)
	case "bench":
		err = bench(ctx, args, getenv, stdout)
	case "bench-bare": // bench's own bare handler, in a process of its own
		err = benchBare(ctx, args)
	case "bench-floor": // bench's floor of a durable turn, in a process of its own
		err = benchFloor(ctx, args, getenv)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usageText)
		return 0
	default:
		fmt.Fprintf(stderr, "qunbot: unknown command %q\n\n%s", cmd, usageText)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "qunbot: %v\n", err)
		return 1
	}
	return 0
}

const usageText = `usage: qunbot [serve|sim|migrate|healthcheck|bench]
  serve        serve the WeCom callbacks (default)
  sim          try the bot locally: chat as members and admins of several groups
  migrate      apply pending schema migrations and exit
  healthcheck  exit 0 when the local server answers /healthz (for container health checks)
  bench        load-test a qunbot (started for you, or -url) beside a bare HTTP handler; bench -h for flags
Configuration comes from QUNBOT_* environment variables and the YAML file named by QUNBOT_CONFIG.
`
