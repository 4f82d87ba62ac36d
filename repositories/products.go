package repositories

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// Products stores a store's products. Every method takes the business ID
// first and scopes every query by it, so a row of another store is
// domain.ErrNotFound.
type Products struct{ db *gorm.DB }

// NewProducts returns the products repository.
func NewProducts(db *gorm.DB) *Products { return &Products{db: db} }

// Create inserts p into businessID's catalog.
func (r *Products) Create(ctx context.Context, businessID int64, p *domain.Product) error {
	p.BusinessID = businessID
	active := p.Active
	db := conn(ctx, r.db)
	if err := db.Create(p).Error; err != nil {
		return mapErr(err)
	}
	// GORM leaves out zero values of columns with a default (active
	// defaults to true) and reads the default back, so a hidden product
	// needs a second write.
	if !active {
		p.Active = false
		return db.Model(&domain.Product{}).Where("business_id = ? AND id = ?", businessID, p.ID).
			Update("active", false).Error
	}
	return nil
}

// List returns businessID's products in display order.
func (r *Products) List(ctx context.Context, businessID int64) ([]domain.Product, error) {
	var ps []domain.Product
	err := conn(ctx, r.db).Where("business_id = ?", businessID).Order("position, id").Find(&ps).Error
	return ps, err
}

// CountActive returns how many active products businessID has.
func (r *Products) CountActive(ctx context.Context, businessID int64) (int64, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.Product{}).Where("business_id = ? AND active = ?", businessID, true).Count(&n).Error
	return n, err
}

// Get loads one of businessID's live products.
func (r *Products) Get(ctx context.Context, businessID, id int64) (*domain.Product, error) {
	var p domain.Product
	if err := conn(ctx, r.db).Where("business_id = ? AND id = ?", businessID, id).First(&p).Error; err != nil {
		return nil, mapErr(err)
	}
	return &p, nil
}

// SlugTaken reports whether a live product of businessID other than
// exceptID uses slug.
func (r *Products) SlugTaken(ctx context.Context, businessID int64, slug string, exceptID int64) (bool, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.Product{}).
		Where("business_id = ? AND slug = ? AND id <> ?", businessID, slug, exceptID).Count(&n).Error
	return n > 0, err
}

// Update saves the editable fields of p (not its position) and its
// UpdatedAt.
func (r *Products) Update(ctx context.Context, businessID int64, p *domain.Product) error {
	res := conn(ctx, r.db).Model(&domain.Product{}).Where("business_id = ? AND id = ?", businessID, p.ID).
		Updates(map[string]any{
			"category_id": p.CategoryID, "name": p.Name, "slug": p.Slug, "description": p.Description,
			"price_cents": p.PriceCents, "compare_at_cents": p.CompareAtCents, "active": p.Active,
			"sold_out": p.SoldOut, "stock": p.Stock, "updated_at": p.UpdatedAt,
		})
	return affected(res)
}

// Search returns one page of businessID's products matching f in
// display order, and how many match in total.
func (r *Products) Search(ctx context.Context, businessID int64, f domain.ProductFilter) ([]domain.Product, int64, error) {
	q := conn(ctx, r.db).Model(&domain.Product{}).Where("business_id = ?", businessID)
	if s := strings.TrimSpace(f.Query); s != "" {
		cond, args := foldedContains(q, s, "name")
		q = q.Where(cond, args...)
	}
	switch {
	case f.Uncategorised:
		q = q.Where("category_id IS NULL")
	case f.CategoryID > 0:
		q = q.Where("category_id = ?", f.CategoryID)
	}
	switch f.Status {
	case domain.ProductActive:
		q = q.Where("active = ?", true)
	case domain.ProductHidden:
		q = q.Where("active = ?", false)
	case domain.ProductSoldOut:
		// Not domain.Product.InStock.
		q = q.Where("(sold_out = ? OR (stock IS NOT NULL AND stock <= 0))", true)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var ps []domain.Product
	q = q.Order("position, id")
	if f.Limit > 0 {
		q = q.Limit(f.Limit).Offset(f.Offset)
	}
	err := q.Find(&ps).Error
	return ps, total, err
}

// Count returns how many of ids are live products of businessID.
func (r *Products) Count(ctx context.Context, businessID int64, ids []int64) (int64, error) {
	var n int64
	if len(ids) == 0 {
		return 0, nil
	}
	err := conn(ctx, r.db).Model(&domain.Product{}).Where("business_id = ? AND id IN ?", businessID, ids).Count(&n).Error
	return n, err
}

// SetActive shows or hides products ids of businessID, changed at at.
func (r *Products) SetActive(ctx context.Context, businessID int64, ids []int64, active bool, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	return conn(ctx, r.db).Model(&domain.Product{}).Where("business_id = ? AND id IN ?", businessID, ids).
		Updates(map[string]any{"active": active, "updated_at": at}).Error
}

// Delete soft-deletes products ids of businessID.
func (r *Products) Delete(ctx context.Context, businessID int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return conn(ctx, r.db).Where("business_id = ? AND id IN ?", businessID, ids).Delete(&domain.Product{}).Error
}

// Order returns businessID's product IDs and positions in display order.
func (r *Products) Order(ctx context.Context, businessID int64) ([]domain.Placed, error) {
	var out []domain.Placed
	err := conn(ctx, r.db).Model(&domain.Product{}).Select("id, position").Where("business_id = ?", businessID).
		Order("position, id").Scan(&out).Error
	return out, err
}

// SetPositions saves position for each product ID of businessID.
func (r *Products) SetPositions(ctx context.Context, businessID int64, positions map[int64]int, at time.Time) error {
	return setPositions(conn(ctx, r.db), &domain.Product{}, businessID, positions, at)
}

// NextPosition is the position after the last product. Call it in
// the transaction that creates the product (see nextPosition).
func (r *Products) NextPosition(ctx context.Context, businessID int64) (int, error) {
	return nextPosition(conn(ctx, r.db), &domain.Product{}, positionScope("products", businessID, 0),
		"business_id = ?", businessID)
}

// shopperVisible scopes a query on products to the ones a shopper sees:
// domain.Product.Shown in SQL (live, active, and uncategorised or in a live
// category that is not hidden). It joins categories, so columns of products
// must be qualified ("products.id"). The store page, the sitemap and
// ordering all use it.
func shopperVisible(db *gorm.DB) *gorm.DB {
	return db.Joins("LEFT JOIN categories ON categories.id = products.category_id AND "+
		"categories.business_id = products.business_id AND categories.deleted_at IS NULL").
		Where("products.deleted_at IS NULL AND products.active = ? AND (categories.id IS NULL OR categories.hidden = ?)", true, false)
}
