package store

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// slowQuery is when a query is worth a warning.
const slowQuery = 500 * time.Millisecond

// dbLogger replaces gorm's chatty default: it logs only slow queries and
// unexpected errors, at warn, with placeholders instead of values (values can
// carry webhook keys and message text). Not-found and unique violations are
// expected outcomes and stay silent.
type dbLogger struct{ log *slog.Logger }

var (
	_ logger.Interface  = dbLogger{}
	_ gorm.ParamsFilter = dbLogger{}
)

func newDBLogger(l *slog.Logger) dbLogger { return dbLogger{log: l} }

func (l dbLogger) LogMode(logger.LogLevel) logger.Interface { return l }

func (l dbLogger) Info(context.Context, string, ...any) {}

func (l dbLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, "store: gorm", "msg", msg, "args", args)
}

func (l dbLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, "store: gorm", "msg", msg, "args", args)
}

func (l dbLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	quiet := err == nil || errors.Is(err, gorm.ErrRecordNotFound) || isUnique(err) ||
		errors.Is(err, context.Canceled)
	if quiet && elapsed < slowQuery {
		return
	}
	sql, rows := fc()
	attrs := []any{"sql", sql, "rows", rows, "duration_ms", elapsed.Milliseconds()}
	if !quiet {
		attrs = append(attrs, "err", err)
		l.log.WarnContext(ctx, "store: query failed", attrs...)
		return
	}
	l.log.WarnContext(ctx, "store: slow query", attrs...)
}

// ParamsFilter keeps values out of the SQL handed to Trace.
func (l dbLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}
