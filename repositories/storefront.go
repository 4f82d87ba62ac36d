package repositories

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// Storefront holds the reads of the public store pages: only what a shopper
// may see (active products, visible categories, approved reviews). Every
// method takes the business ID first.
type Storefront struct {
	db         *gorm.DB
	businesses *Businesses
	images     *Images
	reviews    *Reviews
}

// NewStorefront returns the public store reads.
func NewStorefront(db *gorm.DB) *Storefront {
	return &Storefront{db: db, businesses: NewBusinesses(db), images: NewImages(db), reviews: NewReviews(db)}
}

// BusinessBySlug loads a live store by its current slug.
func (r *Storefront) BusinessBySlug(ctx context.Context, slug string) (*domain.Business, error) {
	return r.businesses.GetBySlug(ctx, slug)
}

// RedirectTarget returns the current slug of the store that used to be at
// old, or domain.ErrNotFound.
func (r *Storefront) RedirectTarget(ctx context.Context, old string) (string, error) {
	return r.businesses.RedirectTarget(ctx, old)
}

// VisibleCategories returns businessID's categories that are not hidden, in
// display order.
func (r *Storefront) VisibleCategories(ctx context.Context, businessID int64) ([]domain.Category, error) {
	var cs []domain.Category
	err := conn(ctx, r.db).Where("business_id = ? AND hidden = ?", businessID, false).
		Order("position, id").Find(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("list visible categories of business %d: %w", businessID, err)
	}
	return cs, nil
}

// publicProductColumns are the product columns the public pages use.
const publicProductColumns = "products.id, products.business_id, products.category_id, products.name, products.slug, " +
	"products.description, products.price_cents, products.compare_at_cents, products.active, products.sold_out, " +
	"products.stock, products.position"

// PublicProducts returns businessID's products a shopper may see
// (domain.Product.Shown: the shopperVisible scope) in display order,
// each with its photos (Image loaded) and option groups (choices loaded).
// Photos and options of the whole store come in three queries, whatever the
// number of products.
func (r *Storefront) PublicProducts(ctx context.Context, businessID int64) ([]*domain.Product, error) {
	db := conn(ctx, r.db)
	// Pointers: GORM allocates each row anyway, and a slice of structs
	// would be copied at every growth.
	var ps []*domain.Product
	// Only what the public pages show: no timestamps to parse for every row.
	err := db.Model(&domain.Product{}).Select(publicProductColumns).Scopes(shopperVisible).
		Where("products.business_id = ?", businessID).
		Order("products.position, products.id").Find(&ps).Error
	if err != nil {
		return nil, fmt.Errorf("list public products of business %d: %w", businessID, err)
	}
	if len(ps) == 0 {
		return ps, nil
	}
	index := make(map[int64]int, len(ps))
	for i := range ps {
		index[ps[i].ID] = i
	}

	// Photos: placements joined with the images they point at.
	type photo struct {
		ID, ProductID, ImageID int64
		Position               int
		Key, Format            string
		Width, Height          int
	}
	photos := make([]photo, 0, len(ps)) // usually one or a few per product
	err = db.Table("product_images").
		Select("product_images.id, product_images.product_id, product_images.image_id, product_images.position, "+
			"images.key, images.format, images.width, images.height").
		Joins("JOIN images ON images.id = product_images.image_id AND images.business_id = product_images.business_id").
		Where("product_images.business_id = ?", businessID).
		Order("product_images.product_id, product_images.position, product_images.id").Scan(&photos).Error
	if err != nil {
		return nil, fmt.Errorf("list product photos of business %d: %w", businessID, err)
	}
	imgs := make([]domain.Image, len(photos))
	for j, ph := range photos {
		i, ok := index[ph.ProductID]
		if !ok {
			continue
		}
		imgs[j] = domain.Image{ID: ph.ImageID, BusinessID: businessID, Key: ph.Key, Format: ph.Format, Width: ph.Width, Height: ph.Height}
		ps[i].Images = append(ps[i].Images, domain.ProductImage{
			ID: ph.ID, BusinessID: businessID, ProductID: ph.ProductID, ImageID: ph.ImageID, Position: ph.Position, Image: &imgs[j],
		})
	}

	// Options: every group of the store, then their choices.
	options, err := loadOptionGroups(db, businessID, nil)
	if err != nil {
		return nil, err
	}
	for i := range ps {
		ps[i].Options = options[ps[i].ID]
	}
	return ps, nil
}

// Images returns businessID's images among ids (logo, cover), by ID.
func (r *Storefront) Images(ctx context.Context, businessID int64, ids []int64) (map[int64]*domain.Image, error) {
	return r.images.GetMany(ctx, businessID, ids)
}

// ApprovedReviews returns a page of businessID's approved reviews, newest
// first, and how many approved reviews it has.
func (r *Storefront) ApprovedReviews(ctx context.Context, businessID int64, limit, offset int) ([]domain.Review, int64, error) {
	return r.reviews.List(ctx, businessID, domain.ReviewApproved, limit, offset)
}
