package services

import (
	"context"
	"errors"
)

// StoreWrites is the one way a service changes what a store's shoppers see
// (catalog, profile, images, reviews, orders and stock): Write runs the change
// in one transaction and, once it committed, purges the store's cached pages.
// Services that change store data hold a StoreWrites instead of a Transactor
// and a StorePurger, so no write can forget its purge.
type StoreWrites struct {
	tx     Transactor
	purger StorePurger
}

// NewStoreWrites returns the store write path over tx and purger (the page
// cache, or a fake in tests); both are required.
func NewStoreWrites(tx Transactor, purger StorePurger) *StoreWrites {
	if tx == nil || purger == nil {
		panic("services: NewStoreWrites needs a Transactor and a StorePurger")
	}
	return &StoreWrites{tx: tx, purger: purger}
}

// errNoChange, returned by a Write's fn, says it found nothing to change: the
// transaction rolls back, Write returns nil and purges nothing.
var errNoChange = errors.New("nothing changed")

// Write runs fn in one transaction on businessID's data and purges the
// store's cached pages after the commit; a failed or rolled-back fn purges
// nothing.
func (w *StoreWrites) Write(ctx context.Context, businessID int64, fn func(ctx context.Context) error) error {
	err := w.tx.InTx(ctx, fn)
	if errors.Is(err, errNoChange) {
		return nil
	}
	if err != nil {
		return err
	}
	w.purger.PurgeStore(ctx, businessID)
	return nil
}

// WriteFound is Write for a change whose store is only known inside the
// transaction (found by its Stripe customer, say) or that may leave what
// shoppers see alone: fn returns the business whose pages to purge after
// the commit, or 0 to purge none. errNoChange rolls back as in Write.
func (w *StoreWrites) WriteFound(ctx context.Context, fn func(ctx context.Context) (int64, error)) error {
	var businessID int64
	err := w.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		businessID, err = fn(ctx)
		return err
	})
	if errors.Is(err, errNoChange) {
		return nil
	}
	if err != nil {
		return err
	}
	if businessID != 0 {
		w.purger.PurgeStore(ctx, businessID)
	}
	return nil
}
