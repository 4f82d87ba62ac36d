package repositories

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Locker hands out named locks that span instances, so a scheduled job runs
// on one instance at a time.
type Locker struct{ db *gorm.DB }

// NewLocker returns a Locker over db: PostgreSQL session advisory locks, or
// always granted on SQLite (one instance owns the file).
func NewLocker(db *gorm.DB) *Locker { return &Locker{db: db} }

// TryLock takes the lock name without waiting. ok is false when another
// session holds it. unlock releases it and must be called once when ok.
//
// On PostgreSQL the lock belongs to a connection, so TryLock takes one out of
// the pool and keeps it until unlock, which releases the lock on that same
// connection. (Session locks need a direct connection, not a pooler in
// transaction mode.)
func (l *Locker) TryLock(ctx context.Context, name string) (unlock func(), ok bool, err error) {
	if l.db.Dialector.Name() != "postgres" {
		return func() {}, true, nil
	}
	sqlDB, err := l.db.DB()
	if err != nil {
		return nil, false, err
	}
	c, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("lock %s: get connection: %w", name, unavailable(err))
	}
	if err := c.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(hashtext($1))", name).Scan(&ok); err != nil {
		c.Close()
		return nil, false, fmt.Errorf("lock %s: %w", name, unavailable(err))
	}
	if !ok {
		c.Close()
		return nil, false, nil
	}
	return func() { releaseAdvisory(c, name) }, true, nil
}

// releaseAdvisory unlocks name on c and returns c to the pool; if the unlock
// cannot be confirmed the connection is discarded, which ends the session and
// so frees the lock.
func releaseAdvisory(c *sql.Conn, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var released bool
	err := c.QueryRowContext(ctx, "SELECT pg_advisory_unlock(hashtext($1))", name).Scan(&released)
	if err != nil || !released {
		c.Raw(func(any) error { return driver.ErrBadConn })
	}
	c.Close()
}
