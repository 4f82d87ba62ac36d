package repositories_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
)

func TestIsUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// A real refused connection, as pgx reports it.
	_, refused := pgconn.Connect(ctx, "postgres://postgres@127.0.0.1:1/x?sslmode=disable&connect_timeout=2")
	if refused == nil {
		t.Fatal("connected to port 1")
	}
	pg := func(code string) error { return fmt.Errorf("query: %w", &pgconn.PgError{Code: code}) }
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", refused, true},
		{"connection reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"bad connection", driver.ErrBadConn, true},
		{"dropped connection", fmt.Errorf("failed to receive message: %w", io.ErrUnexpectedEOF), true},
		{"conn closed", fmt.Errorf("x: %w", pgconn.ErrConnClosed), true},
		{"pool wait past deadline", context.DeadlineExceeded, true},
		{"admin shutdown", pg("57P01"), true},
		{"crash shutdown", pg("57P02"), true},
		{"cannot connect now", pg("57P03"), true},
		{"too many connections", pg("53300"), true},
		{"connection failure", pg("08006"), true},
		{"already classified", fmt.Errorf("x: %w", domain.ErrUnavailable), true},
		{"unique violation", pg("23505"), false},
		{"undefined table", pg("42P01"), false},
		{"wrong password", pg("28P01"), false},
		{"not found", gorm.ErrRecordNotFound, false},
		{"other", errors.New("boom"), false},
		{"nil", nil, false},
	} {
		if got := repositories.IsUnavailable(tc.err); got != tc.want {
			t.Errorf("%s (%v): %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

// TestSQLiteBusyIsUnavailable holds SQLite's write lock from another
// connection past the busy timeout: a write, and a transaction, fail with
// domain.ErrUnavailable, not an unexplained error; reads still work (WAL).
func TestSQLiteBusyIsUnavailable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.db")
	holder, err := repositories.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := repositories.Open("sqlite", path+"?_pragma=busy_timeout(50)")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*gorm.DB{db, holder} {
		t.Cleanup(func() {
			if s, err := d.DB(); err == nil {
				s.Close()
			}
		})
	}
	if err := holder.Exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)").Error; err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sqlHolder, _ := holder.DB()
	lock, err := sqlHolder.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}

	werr := db.Exec("INSERT INTO notes (body) VALUES ('blocked')").Error
	if !errors.Is(werr, domain.ErrUnavailable) {
		t.Errorf("write while locked: %v, want ErrUnavailable", werr)
	}
	terr := repositories.NewTransactor(db).InTx(ctx, func(context.Context) error { return nil })
	if !errors.Is(terr, domain.ErrUnavailable) {
		t.Errorf("transaction while locked: %v, want ErrUnavailable", terr)
	}
	var n int64
	if err := db.Raw("SELECT count(*) FROM notes").Scan(&n).Error; err != nil {
		t.Errorf("read while locked: %v", err)
	}

	if _, err := lock.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	lock.Close()
	if err := db.Exec("INSERT INTO notes (body) VALUES ('later')").Error; err != nil {
		t.Fatalf("write after the lock: %v", err)
	}
}
