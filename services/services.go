// Package services holds Qubly's use cases. Each declares the small interfaces it needs.
package services

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/qubly/qubly/domain"
)

// Transactor runs fn in one database transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Clock tells the time; tests pass a fixed one.
type Clock func() time.Time

// errLevel is the log level of a failure a use case logs and goes on with: a
// warning while the database cannot be reached (an expected state), an
// error otherwise.
func errLevel(err error) slog.Level {
	if errors.Is(err, domain.ErrUnavailable) {
		return slog.LevelWarn
	}
	return slog.LevelError
}
