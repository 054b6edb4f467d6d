package store

import (
	"context"
	"errors"
	"fmt"
	"testing"

	mysqldrv "github.com/go-sql-driver/mysql"

	"github.com/qunbot/qunbot/rules"
)

func TestErrorClassification(t *testing.T) {
	tests := []struct {
		name              string
		err               error
		unique, retryable bool
	}{
		{"nil", nil, false, false},
		{"duplicate", &mysqldrv.MySQLError{Number: 1062}, true, false},
		{"wrapped deadlock", fmt.Errorf("x: %w", &mysqldrv.MySQLError{Number: 1213}), false, true},
		{"lock wait timeout", &mysqldrv.MySQLError{Number: 1205}, false, true},
		{"other mysql error", &mysqldrv.MySQLError{Number: 1146}, false, false},
		{"plain error", errors.New("UNIQUE constraint failed"), false, false},
	}
	for _, tt := range tests {
		if got := isUnique(tt.err); got != tt.unique {
			t.Errorf("isUnique(%s) = %v, want %v", tt.name, got, tt.unique)
		}
		if got := isRetryable(tt.err); got != tt.retryable {
			t.Errorf("isRetryable(%s) = %v, want %v", tt.name, got, tt.retryable)
		}
	}
}

func TestAtomicRetriesDeadlocks(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tests := []struct {
		name      string
		failures  int
		wantCalls int
		wantErr   bool
	}{{"one deadlock", 1, 2, false}, {"always deadlocked", 100, txAttempts, true}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			err := s.Atomic(ctx, func(tx rules.Tx) error {
				calls++
				if err := tx.EnsureGroup(ctx, tt.name, s.now()); err != nil {
					return err
				}
				if calls <= tt.failures {
					return fmt.Errorf("write: %w", &mysqldrv.MySQLError{Number: mysqlDeadlock})
				}
				return nil
			})
			if calls != tt.wantCalls || (err != nil) != tt.wantErr {
				t.Errorf("Atomic ran fn %d times, err %v; want %d times, error %v", calls, err, tt.wantCalls, tt.wantErr)
			}
		})
	}
	gs, err := s.ListGroups(ctx)
	if err != nil || len(gs) != 1 || gs[0].ChatID != "one deadlock" {
		t.Errorf("groups = %+v, %v; want only the retried transaction's group", gs, err)
	}
}
