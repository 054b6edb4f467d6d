package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// Migration is one versioned schema change. Up must use its own frozen model
// structs (declared next to it), never the store's current ones, so a later
// change to a model can never change what an old migration does.
//
// Version ranges: 1–99 core, 100–199 engagement (points, check-in, shop),
// 200–299 moderation, 300–399 member lifecycle and keyword replies,
// 400–499 analytics, 500–599 limits and trust, 600–649 the hot path's member
// state, 650–699 callback delivery, 700–799 operators' follow-through
// (schedules, orders), 800–899 the long connection, 900–999 the message
// archive.
//
// To add one, create store/migrations_<topic>.go with
//
//	func init() { register(Migration{Version: 101, Name: "checkins", Up: upCheckins}) }
//
// and the frozen structs Up passes to tx.AutoMigrate. Migrations run in
// version order, each once, each in its own transaction (MySQL commits DDL
// on its own; SQLite keeps it transactional).
type Migration struct {
	Version int
	Name    string
	Up      func(tx *gorm.DB) error
}

// registry holds every migration; files add theirs from init.
var registry []Migration

func register(m Migration) { registry = append(registry, m) }

// schemaMigration is the bookkeeping table's frozen model.
type schemaMigration struct {
	Version   int       `gorm:"primaryKey;autoIncrement:false"`
	Name      string    `gorm:"type:varchar(191);not null"`
	AppliedAt time.Time `gorm:"not null"`
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// mysqlTableOptions: utf8mb4 for Chinese text and emoji, binary collation so
// ids and names compare exactly as they do on SQLite.
const mysqlTableOptions = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"

// sortedMigrations checks the registry and returns it in version order.
func sortedMigrations() ([]Migration, error) {
	ms := append([]Migration(nil), registry...)
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version <= 0 || m.Name == "" || m.Up == nil {
			return nil, fmt.Errorf("store: migration %d %q is incomplete", m.Version, m.Name)
		}
		if i > 0 && ms[i-1].Version == m.Version {
			return nil, fmt.Errorf("store: migration version %d registered twice", m.Version)
		}
	}
	return ms, nil
}

func migrationLabel(m Migration) string { return fmt.Sprintf("%04d_%s", m.Version, m.Name) }

// migrate applies pending migrations. On MySQL a named lock keeps replicas
// starting together from running the same migration twice.
func migrate(ctx context.Context, db *gorm.DB, isMySQL bool, now func() time.Time) ([]string, error) {
	ms, err := sortedMigrations()
	if err != nil {
		return nil, err
	}
	var applied []string
	err = db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		if isMySQL {
			conn = conn.Set("gorm:table_options", mysqlTableOptions)
			unlock, err := mysqlLock(conn, "qunbot_migrate")
			if err != nil {
				return err
			}
			defer unlock()
		}
		conn = conn.Session(&gorm.Session{}) // reusable for several statements
		if err := conn.AutoMigrate(&schemaMigration{}); err != nil {
			return fmt.Errorf("store: create schema_migrations: %w", err)
		}
		done, err := appliedVersions(conn)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if done[m.Version] {
				continue
			}
			if err := applyMigration(conn, m, now); err != nil {
				return err
			}
			applied = append(applied, migrationLabel(m))
		}
		return nil
	})
	return applied, err
}

func appliedVersions(db *gorm.DB) (map[int]bool, error) {
	var versions []int
	if err := db.Model(&schemaMigration{}).Pluck("version", &versions).Error; err != nil {
		return nil, fmt.Errorf("store: read schema_migrations: %w", err)
	}
	done := make(map[int]bool, len(versions))
	for _, v := range versions {
		done[v] = true
	}
	return done, nil
}

func applyMigration(db *gorm.DB, m Migration, now func() time.Time) error {
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := m.Up(tx); err != nil {
			return err
		}
		return tx.Create(&schemaMigration{Version: m.Version, Name: m.Name, AppliedAt: dbTime(now())}).Error
	})
	if err != nil {
		return fmt.Errorf("store: migration %s: %w", migrationLabel(m), err)
	}
	return nil
}

// mysqlLock takes a MySQL named lock on conn's session.
func mysqlLock(conn *gorm.DB, name string) (unlock func(), err error) {
	var got *int
	if err := conn.Raw("SELECT GET_LOCK(?, 60)", name).Scan(&got).Error; err != nil {
		return nil, fmt.Errorf("store: migration lock: %w", err)
	}
	if got == nil || *got != 1 {
		return nil, errors.New("store: migration lock: timed out waiting for another replica")
	}
	return func() { conn.Exec("SELECT RELEASE_LOCK(?)", name) }, nil
}
