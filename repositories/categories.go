package repositories

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// Categories stores a store's categories. Every method takes the business
// ID first and scopes every query by it, so a row of another store is
// domain.ErrNotFound.
type Categories struct{ db *gorm.DB }

// NewCategories returns the categories repository.
func NewCategories(db *gorm.DB) *Categories { return &Categories{db: db} }

// Create inserts c into businessID's catalog.
func (r *Categories) Create(ctx context.Context, businessID int64, c *domain.Category) error {
	c.BusinessID = businessID
	return mapErr(conn(ctx, r.db).Create(c).Error)
}

// List returns businessID's categories in display order.
func (r *Categories) List(ctx context.Context, businessID int64) ([]domain.Category, error) {
	var cs []domain.Category
	err := conn(ctx, r.db).Where("business_id = ?", businessID).Order("position, id").Find(&cs).Error
	return cs, err
}

// Get loads one of businessID's categories.
func (r *Categories) Get(ctx context.Context, businessID, id int64) (*domain.Category, error) {
	var c domain.Category
	if err := conn(ctx, r.db).Where("business_id = ? AND id = ?", businessID, id).First(&c).Error; err != nil {
		return nil, mapErr(err)
	}
	return &c, nil
}

// SlugTaken reports whether a live category of businessID other than
// exceptID uses slug.
func (r *Categories) SlugTaken(ctx context.Context, businessID int64, slug string, exceptID int64) (bool, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.Category{}).
		Where("business_id = ? AND slug = ? AND id <> ?", businessID, slug, exceptID).Count(&n).Error
	return n > 0, err
}

// Update saves the name, slug, visibility and UpdatedAt of c.
func (r *Categories) Update(ctx context.Context, businessID int64, c *domain.Category) error {
	res := conn(ctx, r.db).Model(&domain.Category{}).Where("business_id = ? AND id = ?", businessID, c.ID).
		Select("name", "slug", "hidden", "updated_at").
		Updates(map[string]any{"name": c.Name, "slug": c.Slug, "hidden": c.Hidden, "updated_at": c.UpdatedAt})
	return affected(res)
}

// Delete soft-deletes category id and leaves its products
// uncategorised (changed at at). Call it inside a transaction.
func (r *Categories) Delete(ctx context.Context, businessID, id int64, at time.Time) error {
	db := conn(ctx, r.db)
	res := db.Where("business_id = ? AND id = ?", businessID, id).Delete(&domain.Category{})
	if err := affected(res); err != nil {
		return err
	}
	return db.Unscoped().Model(&domain.Product{}).Where("business_id = ? AND category_id = ?", businessID, id).
		Updates(map[string]any{"category_id": nil, "updated_at": at}).Error
}

// CountProductsByCategory returns how many live products each category of
// businessID holds.
func (r *Categories) CountProductsByCategory(ctx context.Context, businessID int64) (map[int64]int64, error) {
	var rows []struct {
		CategoryID int64
		N          int64
	}
	err := conn(ctx, r.db).Model(&domain.Product{}).Select("category_id, COUNT(*) AS n").
		Where("business_id = ? AND category_id IS NOT NULL", businessID).Group("category_id").Scan(&rows).Error
	out := make(map[int64]int64, len(rows))
	for _, row := range rows {
		out[row.CategoryID] = row.N
	}
	return out, err
}

// Order returns businessID's category IDs and positions in display order.
func (r *Categories) Order(ctx context.Context, businessID int64) ([]domain.Placed, error) {
	var out []domain.Placed
	err := conn(ctx, r.db).Model(&domain.Category{}).Select("id, position").Where("business_id = ?", businessID).
		Order("position, id").Scan(&out).Error
	return out, err
}

// SetPositions saves position for each category ID of businessID.
func (r *Categories) SetPositions(ctx context.Context, businessID int64, positions map[int64]int, at time.Time) error {
	return setPositions(conn(ctx, r.db), &domain.Category{}, businessID, positions, at)
}

// NextPosition is the position after the last category. Call it in
// the transaction that creates the category (see nextPosition).
func (r *Categories) NextPosition(ctx context.Context, businessID int64) (int, error) {
	return nextPosition(conn(ctx, r.db), &domain.Category{}, positionScope("categories", businessID, 0),
		"business_id = ?", businessID)
}
