package repositories

import (
	"context"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// Catalog stores a store's categories and products.
type Catalog struct{ db *gorm.DB }

// NewCatalog returns the catalog repository.
func NewCatalog(db *gorm.DB) *Catalog { return &Catalog{db: db} }

// CreateCategory inserts c into businessID's catalog.
func (r *Catalog) CreateCategory(ctx context.Context, businessID int64, c *domain.Category) error {
	c.BusinessID = businessID
	return mapErr(conn(ctx, r.db).Create(c).Error)
}

// CreateProduct inserts p into businessID's catalog.
func (r *Catalog) CreateProduct(ctx context.Context, businessID int64, p *domain.Product) error {
	p.BusinessID = businessID
	return mapErr(conn(ctx, r.db).Create(p).Error)
}

// ListCategories returns businessID's categories in display order.
func (r *Catalog) ListCategories(ctx context.Context, businessID int64) ([]domain.Category, error) {
	var cs []domain.Category
	err := conn(ctx, r.db).Where("business_id = ?", businessID).Order("position, id").Find(&cs).Error
	return cs, err
}

// ListProducts returns businessID's products in display order.
func (r *Catalog) ListProducts(ctx context.Context, businessID int64) ([]domain.Product, error) {
	var ps []domain.Product
	err := conn(ctx, r.db).Where("business_id = ?", businessID).Order("position, id").Find(&ps).Error
	return ps, err
}

// CountActiveProducts returns how many active products businessID has.
func (r *Catalog) CountActiveProducts(ctx context.Context, businessID int64) (int64, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.Product{}).Where("business_id = ? AND active = ?", businessID, true).Count(&n).Error
	return n, err
}
