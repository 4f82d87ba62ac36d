// Package repositories holds Qubly's GORM code, one file per aggregate. Every
// method on tenant data takes the business ID, and a row of another tenant is
// domain.ErrNotFound.
package repositories

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/qubly/qubly/domain"
)

// Open connects to "sqlite" (dsn is a file path) or "postgres" (dsn is a URL)
// with pool settings that suit a single file or a serverless PostgreSQL.
// Its rows are stamped with the wall clock in UTC; the app stamps them with
// its own clock (WithClock).
func Open(driver, dsn string) (*gorm.DB, error) {
	cfg := &gorm.Config{
		Logger:         logger.Default.LogMode(logger.Silent),
		TranslateError: true,
		NowFunc:        func() time.Time { return time.Now().UTC() },
	}
	switch driver {
	case "sqlite":
		if dir := filepath.Dir(dsn); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("create database folder: %w", err)
			}
		}
		full := withSQLiteDefaults(dsn)
		db, err := gorm.Open(sqlite.Open(full), cfg)
		if err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
		}
		if err := registerUnavailable(db); err != nil {
			return nil, err
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		// One writer at a time is what SQLite allows; a small pool avoids
		// SQLITE_BUSY storms while WAL still lets readers run.
		sqlDB.SetMaxOpenConns(4)
		sqlDB.SetMaxIdleConns(4)
		return db, nil
	case "postgres":
		db, err := gorm.Open(postgres.Open(withConnectTimeout(dsn)), cfg)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		if err := registerUnavailable(db); err != nil {
			return nil, err
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		// Serverless PostgreSQL (Neon) suspends idle computes and caps
		// connections: keep the pool small and let idle connections go
		// (after ConnMaxIdleTime). Every open connection may stay idle until
		// then: with fewer idle than open, a burst of concurrent requests
		// closed the extra connections after each query and opened them
		// again (a connect and its statements prepared anew each time).
		sqlDB.SetMaxOpenConns(10)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(2 * time.Minute)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
		return db, nil
	}
	return nil, fmt.Errorf("unknown database driver %q", driver)
}

// WithClock returns db with the times GORM stamps (created_at, updated_at)
// and the repositories' own "now" taken from clock, in UTC, so that rows
// follow the one clock the services use. db itself is unchanged.
func WithClock(db *gorm.DB, clock func() time.Time) *gorm.DB {
	return db.Session(&gorm.Session{NewDB: true, NowFunc: func() time.Time { return clock().UTC() }})
}

// clockNow is the time of db's clock (see WithClock).
func clockNow(db *gorm.DB) time.Time { return db.NowFunc() }

// sqliteDefaults are the connection settings of a SQLite file, each with
// the name a DSN would set it by: foreign keys, WAL (readers never wait for
// the writer), a 10 s busy timeout, and transactions that take the write
// lock at BEGIN.
var sqliteDefaults = []struct{ name, param string }{
	{"foreign_keys", "_pragma=foreign_keys(1)"},
	{"journal_mode", "_pragma=journal_mode(WAL)"},
	{"busy_timeout", "_pragma=busy_timeout(10000)"},
	{"synchronous", "_pragma=synchronous(NORMAL)"},
	{"_txlock", "_txlock=immediate"},
}

// withSQLiteDefaults adds to a SQLite path the defaults it does not set
// itself (a DSN's own "_pragma=busy_timeout(…)" wins).
func withSQLiteDefaults(dsn string) string {
	_, query, _ := strings.Cut(dsn, "?")
	for _, d := range sqliteDefaults {
		if strings.Contains(query, d.name) {
			continue
		}
		if strings.Contains(dsn, "?") {
			dsn += "&" + d.param
		} else {
			dsn += "?" + d.param
		}
	}
	return dsn
}

type txKey struct{}

// Transactor runs functions in one database transaction.
type Transactor struct {
	db *gorm.DB
	// gate, on SQLite only, lets one of its transactions at a time begin.
	// SQLite has one writer at a time and every transaction takes the write
	// lock at BEGIN (_txlock=immediate); a connection that finds it taken
	// waits in SQLite's busy handler, which polls with sleeps growing to
	// 100 ms and favours no one, so under a burst of orders some waited ~1 s
	// while later ones went first. Queuing the transactions in Go instead
	// hands the lock over as soon as it is free. The app makes one
	// Transactor per database; a second one would still be correct (its
	// transactions fall back on the busy handler), only slower under load.
	gate chan struct{}
}

// NewTransactor returns a Transactor over db.
func NewTransactor(db *gorm.DB) *Transactor {
	t := &Transactor{db: db}
	if db.Dialector.Name() == "sqlite" {
		t.gate = make(chan struct{}, 1)
	}
	return t
}

// sqliteWriteWait is how long a transaction waits for the gate, like the
// busy timeout it replaces.
const sqliteWriteWait = 10 * time.Second

// InTx runs fn in a transaction; repository calls made with the ctx it gets
// join that transaction. Nested calls reuse the outer transaction. A begin or
// commit that fails because the database cannot be reached is
// domain.ErrUnavailable, like every statement's error.
func (t *Transactor) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	if t.gate != nil {
		timer := time.NewTimer(sqliteWriteWait)
		select {
		case t.gate <- struct{}{}:
			timer.Stop()
			defer func() { <-t.gate }()
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
			return errors.New("sqlite: waited too long for the write lock")
		}
	}
	return unavailable(t.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	}))
}

// conn returns the transaction carried by ctx, or db bound to ctx.
func conn(ctx context.Context, db *gorm.DB) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	return db.WithContext(ctx)
}

// mapErr turns GORM errors into domain errors.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return domain.ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%w: %v", domain.ErrConflict, err)
	}
	return err
}

// Ping checks that the database answers.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}
