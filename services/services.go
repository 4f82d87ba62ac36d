// Package services holds Qubly's use cases. Each declares the small interfaces it needs.
package services

import (
	"context"
	"time"
)

// Transactor runs fn in one database transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Clock tells the time; tests pass a fixed one.
type Clock func() time.Time
