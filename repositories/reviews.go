package repositories

import (
	"context"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// Reviews stores shoppers' reviews of stores.
type Reviews struct{ db *gorm.DB }

// NewReviews returns the reviews repository.
func NewReviews(db *gorm.DB) *Reviews { return &Reviews{db: db} }

// Create inserts rv into businessID's reviews.
func (r *Reviews) Create(ctx context.Context, businessID int64, rv *domain.Review) error {
	rv.BusinessID = businessID
	return mapErr(conn(ctx, r.db).Create(rv).Error)
}

// CountByStatus returns how many of businessID's reviews have status.
func (r *Reviews) CountByStatus(ctx context.Context, businessID int64, status domain.ReviewStatus) (int64, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.Review{}).Where("business_id = ? AND status = ?", businessID, status).Count(&n).Error
	return n, err
}
