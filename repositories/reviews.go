package repositories

import (
	"context"
	"fmt"
	"time"

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

// List returns a page of businessID's reviews with status, newest first, and
// how many reviews have that status in total.
func (r *Reviews) List(ctx context.Context, businessID int64, status domain.ReviewStatus, limit, offset int) ([]domain.Review, int64, error) {
	base := func() *gorm.DB {
		return conn(ctx, r.db).Model(&domain.Review{}).Where("business_id = ? AND status = ?", businessID, status)
	}
	var total int64
	if err := base().Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count reviews: %w", err)
	}
	var list []domain.Review
	if err := base().Order("created_at DESC, id DESC").Limit(limit).Offset(offset).Find(&list).Error; err != nil {
		return nil, 0, fmt.Errorf("list reviews: %w", err)
	}
	return list, total, nil
}

// StatusCounts returns how many of businessID's reviews are in each status.
func (r *Reviews) StatusCounts(ctx context.Context, businessID int64) (map[domain.ReviewStatus]int64, error) {
	var rows []struct {
		Status domain.ReviewStatus
		N      int64
	}
	err := conn(ctx, r.db).Model(&domain.Review{}).Select("status, COUNT(*) AS n").
		Where("business_id = ?", businessID).Group("status").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count reviews by status: %w", err)
	}
	out := make(map[domain.ReviewStatus]int64, len(rows))
	for _, row := range rows {
		out[row.Status] = row.N
	}
	return out, nil
}

// Get loads businessID's review reviewID; another store's review is
// domain.ErrNotFound.
func (r *Reviews) Get(ctx context.Context, businessID, reviewID int64) (*domain.Review, error) {
	var rv domain.Review
	if err := conn(ctx, r.db).Where("business_id = ? AND id = ?", businessID, reviewID).First(&rv).Error; err != nil {
		return nil, mapErr(err)
	}
	return &rv, nil
}

// GetMany loads those of ids that are businessID's reviews, in ID order
// (moderation updates them in that order, so concurrent bulk changes take
// row locks in one order); the others (missing, another store's) are simply
// not in the result.
func (r *Reviews) GetMany(ctx context.Context, businessID int64, ids []int64) ([]domain.Review, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var list []domain.Review
	err := conn(ctx, r.db).Where("business_id = ? AND id IN ?", businessID, ids).Order("id").Find(&list).Error
	if err != nil {
		return nil, fmt.Errorf("load reviews: %w", err)
	}
	return list, nil
}

// SetStatus moves businessID's review from one status to another only if it
// is still in from, and reports whether it changed (false: it is not there
// or someone changed it meanwhile).
func (r *Reviews) SetStatus(ctx context.Context, businessID, reviewID int64, from, to domain.ReviewStatus, at time.Time) (bool, error) {
	res := conn(ctx, r.db).Model(&domain.Review{}).
		Where("business_id = ? AND id = ? AND status = ?", businessID, reviewID, from).
		Updates(map[string]any{"status": to, "updated_at": at})
	if res.Error != nil {
		return false, fmt.Errorf("set review %d status: %w", reviewID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// AdjustRating adds count reviews and sum stars (either may be negative) to
// businessID's approved-review aggregates, in one UPDATE so concurrent
// moderations never lose a change. Call it in the transaction that changes
// the reviews' status.
func (r *Reviews) AdjustRating(ctx context.Context, businessID int64, count, sum int) error {
	if count == 0 && sum == 0 {
		return nil
	}
	res := conn(ctx, r.db).Exec(
		"UPDATE businesses SET rating_count = rating_count + ?, rating_sum = rating_sum + ? WHERE id = ?",
		count, sum, businessID)
	if res.Error != nil {
		return fmt.Errorf("adjust rating of business %d: %w", businessID, res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return nil
}
