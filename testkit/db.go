// Package testkit holds test helpers: a fresh migrated database per test,
// the real app, a cookie-keeping HTTP client, fixtures and fake servers.
package testkit

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
)

// TestDB is a fresh database for one test.
type TestDB struct {
	*gorm.DB
	// Driver is "sqlite" or "postgres".
	Driver string
	// DSN opens the same database again (for a second pool or a proxy).
	DSN string
	// Schema is the PostgreSQL schema of this test ("" on SQLite).
	Schema string
}

// PostgresURL is TEST_DATABASE_URL, or "" when tests run on SQLite.
func PostgresURL() string { return os.Getenv("TEST_DATABASE_URL") }

// NewDB returns an empty, migrated database: a SQLite file in a temp folder,
// or a schema of its own on TEST_DATABASE_URL so tests can run in parallel.
// The migrations run once per test binary (migrated.go): each test gets a
// copy of the migrated SQLite file, or the migrations' statements replayed
// in its schema.
func NewDB(t testing.TB) *TestDB {
	t.Helper()
	if PostgresURL() == "" {
		migrated, err := migratedSQLite()
		if err != nil {
			t.Fatalf("migrate: %v", err)
		}
		return openSQLite(t, migrated)
	}
	db := NewEmptyDB(t)
	if err := migratePostgres(db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// NewEmptyDB is NewDB without the migrations.
func NewEmptyDB(t testing.TB) *TestDB {
	t.Helper()
	pg := PostgresURL()
	if pg == "" {
		return openSQLite(t, nil)
	}
	admin, err := repositories.Open("postgres", pg)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	schema := "t_" + randomHex(8)
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	dsn := WithSearchPath(pg, schema)
	db, err := repositories.Open("postgres", dsn)
	if err != nil {
		t.Fatalf("open postgres schema: %v", err)
	}
	t.Cleanup(func() {
		closeDB(db)
		admin.Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE")
		closeDB(admin)
	})
	return &TestDB{DB: db, Driver: "postgres", DSN: dsn, Schema: schema}
}

// openSQLite opens a new SQLite file in a temp folder holding content (an
// empty file when content is nil).
func openSQLite(t testing.TB, content []byte) *TestDB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	if content != nil {
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatalf("write sqlite: %v", err)
		}
	}
	db, err := repositories.Open("sqlite", path)
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { closeDB(db) })
	return &TestDB{DB: db, Driver: "sqlite", DSN: path}
}

// WithSearchPath returns a PostgreSQL URL whose connections use schema.
func WithSearchPath(raw, schema string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Business inserts a store named name at slug, with no owner, for tests that
// work on the repositories without the app (testkit.App.Shop builds a whole
// shop through sign-up).
func (db *TestDB) Business(t testing.TB, name, slug string) *domain.Business {
	t.Helper()
	b := &domain.Business{Name: name, Slug: slug, WhatsApp: "+525512345678", ReferralCode: TestReferralCode()}
	if err := db.Create(b).Error; err != nil {
		t.Fatalf("create business %s: %v", slug, err)
	}
	return b
}

var referralCodes atomic.Int64

// TestReferralCode returns a referral code no other call in this process
// returns, for businesses tests insert without sign-up (QUBLY and 8
// digits: sign-up's own codes start at 4).
func TestReferralCode() string {
	return domain.ReferralCode(int(referralCodes.Add(1)), 8)
}

// SecondPool opens another connection pool on db's PostgreSQL schema, as a
// second instance of the app would have; it is closed when t ends.
func SecondPool(t testing.TB, db *TestDB) *gorm.DB {
	t.Helper()
	pool, err := repositories.Open("postgres", db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := pool.DB(); err == nil {
			sqlDB.Close()
		}
	})
	return pool
}
