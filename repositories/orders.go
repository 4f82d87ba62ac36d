package repositories

import (
	"context"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// Orders stores shoppers' orders and their items.
type Orders struct{ db *gorm.DB }

// NewOrders returns the orders repository.
func NewOrders(db *gorm.DB) *Orders { return &Orders{db: db} }

// CountByStatus returns how many of businessID's orders have status.
func (r *Orders) CountByStatus(ctx context.Context, businessID int64, status domain.OrderStatus) (int64, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.Order{}).Where("business_id = ? AND status = ?", businessID, status).Count(&n).Error
	return n, err
}
