package repositories

import (
	"context"

	"github.com/qubly/qubly/domain"
)

// GetByCode loads businessID's order with the public code, with its items,
// for the shopper's tracking page. An unknown code, or the code of another
// store's order, is domain.ErrNotFound.
func (r *Orders) GetByCode(ctx context.Context, businessID int64, code string) (*domain.Order, error) {
	db := conn(ctx, r.db)
	var o domain.Order
	if err := db.Where("business_id = ? AND code = ?", businessID, code).First(&o).Error; err != nil {
		return nil, mapErr(err)
	}
	if err := db.Where("business_id = ? AND order_id = ?", businessID, o.ID).Order("id").Find(&o.Items).Error; err != nil {
		return nil, err
	}
	return &o, nil
}

// GetByIdempotencyKey loads businessID's order placed with the client's
// idempotency key, with its items; none is domain.ErrNotFound.
func (r *Orders) GetByIdempotencyKey(ctx context.Context, businessID int64, key string) (*domain.Order, error) {
	db := conn(ctx, r.db)
	var o domain.Order
	if err := db.Where("business_id = ? AND idempotency_key = ?", businessID, key).First(&o).Error; err != nil {
		return nil, mapErr(err)
	}
	if err := db.Where("business_id = ? AND order_id = ?", businessID, o.ID).Order("id").Find(&o.Items).Error; err != nil {
		return nil, err
	}
	return &o, nil
}
