package repositories

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// IsUnavailable reports whether err, returned by the database driver, means
// the database cannot be reached now rather than that the statement is
// wrong: a refused, reset or dropped connection, a server shutting down or
// starting up, too many connections, a timeout waiting for a connection, or
// SQLite still busy/locked after its busy timeout.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, domain.ErrUnavailable) {
		return true
	}
	// A server answer says exactly what happened; look at it first, so a
	// refused password inside a ConnectError is not "unavailable".
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return unavailableSQLState(pgErr.Code)
	}
	var sqliteErr interface{ Code() int }
	if errors.As(err, &sqliteErr) {
		switch sqliteErr.Code() & 0xff {
		case sqliteBusy, sqliteLocked:
			return true
		}
		return false
	}
	var connectErr *pgconn.ConnectError
	var opErr *net.OpError
	switch {
	case errors.As(err, &connectErr), errors.As(err, &opErr),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, pgconn.ErrConnClosed),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		// Waiting for a pool connection (or a connect) past the deadline.
		errors.Is(err, context.DeadlineExceeded):
		return true
	}
	return false
}

// SQLite result codes (the low byte of extended codes).
const (
	sqliteBusy   = 5
	sqliteLocked = 6
)

// unavailableSQLState reports whether a PostgreSQL SQLSTATE means the server
// cannot serve now: connection exceptions (class 08), too many connections,
// admin or crash shutdown, and "cannot connect now" while it starts.
func unavailableSQLState(code string) bool {
	switch code {
	case "53300", // too_many_connections
		"57P01", // admin_shutdown
		"57P02", // crash_shutdown
		"57P03": // cannot_connect_now
		return true
	}
	return strings.HasPrefix(code, "08")
}

// unavailable wraps err with domain.ErrUnavailable when IsUnavailable says
// so (keeping the cause for the logs); other errors are returned as they are.
func unavailable(err error) error {
	if err == nil || errors.Is(err, domain.ErrUnavailable) || !IsUnavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", domain.ErrUnavailable, err)
}

// registerUnavailable makes every GORM operation of db (create, query,
// update, delete, row, raw) report an unreachable database as
// domain.ErrUnavailable, so no repository method has to. Transactions'
// begin and commit are covered by Transactor.InTx.
func registerUnavailable(db *gorm.DB) error {
	const name = "qubly:unavailable"
	mark := func(tx *gorm.DB) {
		if tx.Error != nil {
			tx.Error = unavailable(tx.Error)
		}
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Create().After("*").Register(name, mark),
		cb.Query().After("*").Register(name, mark),
		cb.Update().After("*").Register(name, mark),
		cb.Delete().After("*").Register(name, mark),
		cb.Row().After("*").Register(name, mark),
		cb.Raw().After("*").Register(name, mark),
	} {
		if err != nil {
			return fmt.Errorf("register %s: %w", name, err)
		}
	}
	return nil
}

// connectTimeout bounds how long opening a PostgreSQL connection may take
// when the URL sets no connect_timeout: a database that does not answer
// (a dropped network rather than a refused port) then fails fast, as
// domain.ErrUnavailable, instead of holding requests for minutes.
const connectTimeout = "5"

// withConnectTimeout adds connect_timeout to a postgres:// URL that has none.
func withConnectTimeout(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return dsn
	}
	q := u.Query()
	if q.Get("connect_timeout") != "" {
		return dsn
	}
	q.Set("connect_timeout", connectTimeout)
	u.RawQuery = q.Encode()
	return u.String()
}
