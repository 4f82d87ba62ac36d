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
// Photos and options of the whole store come in four queries, whatever the
// number of products.
func (r *Storefront) PublicProducts(ctx context.Context, businessID int64) ([]domain.Product, error) {
	db := conn(ctx, r.db)
	var ps []domain.Product
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

	// Photos: placements, then the images they point at.
	var pis []domain.ProductImage
	if err := db.Select("id, business_id, product_id, image_id, position").
		Where("business_id = ?", businessID).Order("product_id, position, id").Find(&pis).Error; err != nil {
		return nil, fmt.Errorf("list product photos of business %d: %w", businessID, err)
	}
	var imgs []domain.Image
	err = db.Select("id, business_id, key, format, width, height").
		Where("business_id = ? AND id IN (SELECT image_id FROM product_images WHERE business_id = ?)", businessID, businessID).
		Find(&imgs).Error
	if err != nil {
		return nil, fmt.Errorf("load product images of business %d: %w", businessID, err)
	}
	byID := make(map[int64]*domain.Image, len(imgs))
	for i := range imgs {
		byID[imgs[i].ID] = &imgs[i]
	}
	for _, pi := range pis {
		i, ok := index[pi.ProductID]
		if !ok {
			continue
		}
		if pi.Image = byID[pi.ImageID]; pi.Image != nil {
			ps[i].Images = append(ps[i].Images, pi)
		}
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
