package repositories

import (
	"context"
	"database/sql"
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

// publicCategoryColumns are the category columns the public pages use: not
// the timestamps, left zero (the soft-delete scope keeps live categories).
const publicCategoryColumns = "id, business_id, name, slug, position, hidden"

// VisibleCategories returns businessID's categories that are not hidden, in
// display order, with publicCategoryColumns.
func (r *Storefront) VisibleCategories(ctx context.Context, businessID int64) ([]domain.Category, error) {
	var cs []domain.Category
	err := conn(ctx, r.db).Select(publicCategoryColumns).Where("business_id = ? AND hidden = ?", businessID, false).
		Order("position, id").Find(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("list visible categories of business %d: %w", businessID, err)
	}
	return cs, nil
}

// publicProductColumns are the product columns the public pages use, in
// the order scanPublicProducts reads them. The business ID is the one asked
// for and the shopperVisible scope keeps only active products, so neither is
// read back.
const publicProductColumns = "products.id, products.category_id, products.name, products.slug, " +
	"products.description, products.price_cents, products.compare_at_cents, products.sold_out, " +
	"products.stock, products.position"

// PublicProducts returns businessID's products a shopper may see
// (domain.Product.Shown: the shopperVisible scope) in display order,
// each with its photos (Image loaded) and option groups (choices loaded).
// Photos and options of the whole store come in three queries, whatever the
// number of products.
//
// The rows of the store page's two big queries are scanned by hand: GORM's
// reflection costs some twenty allocations a row, most of a cache miss.
func (r *Storefront) PublicProducts(ctx context.Context, businessID int64) ([]*domain.Product, error) {
	db := conn(ctx, r.db)
	rows, err := db.Model(&domain.Product{}).Select(publicProductColumns).Scopes(shopperVisible).
		Where("products.business_id = ?", businessID).
		Order("products.position, products.id").Rows()
	if err != nil {
		return nil, fmt.Errorf("list public products of business %d: %w", businessID, err)
	}
	ps, err := scanPublicProducts(rows, businessID)
	if err != nil {
		return nil, fmt.Errorf("list public products of business %d: %w", businessID, err)
	}
	if len(ps) == 0 {
		return ps, nil
	}
	if err := r.attachPhotos(db, businessID, ps); err != nil {
		return nil, err
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

// productSlab is how many products scanPublicProducts allocates at once.
const productSlab = 32

// productRow is a scanned product with room for its nullable columns, so
// that they cost no allocation of their own.
type productRow struct {
	p         domain.Product
	category  int64
	compareAt domain.Money
	stock     int
}

// scanPublicProducts reads rows of publicProductColumns and closes rows.
// Products are allocated in slabs (pointers into a slab stay valid), so a
// row costs the driver's allocations and little more.
func scanPublicProducts(rows *sql.Rows, businessID int64) ([]*domain.Product, error) {
	defer rows.Close()
	var (
		ps                         []*domain.Product
		slab                       []productRow
		category, compareAt, stock sql.NullInt64
		price, position            int64
	)
	for rows.Next() {
		if len(slab) == 0 {
			slab = make([]productRow, productSlab)
		}
		row := &slab[0]
		slab = slab[1:]
		p := &row.p
		if err := rows.Scan(&p.ID, &category, &p.Name, &p.Slug, &p.Description, &price, &compareAt,
			&p.SoldOut, &stock, &position); err != nil {
			return nil, err
		}
		p.BusinessID, p.Active = businessID, true
		p.PriceCents, p.Position = domain.Money(price), int(position)
		if category.Valid {
			row.category = category.Int64
			p.CategoryID = &row.category
		}
		if compareAt.Valid {
			row.compareAt = domain.Money(compareAt.Int64)
			p.CompareAtCents = &row.compareAt
		}
		if stock.Valid {
			row.stock = int(stock.Int64)
			p.Stock = &row.stock
		}
		ps = append(ps, p)
	}
	return ps, rows.Err()
}

// attachPhotos loads the photos of ps (businessID's public products): their
// placements joined with the images they point at, in display order.
func (r *Storefront) attachPhotos(db *gorm.DB, businessID int64, ps []*domain.Product) error {
	index := make(map[int64]*domain.Product, len(ps))
	for _, p := range ps {
		index[p.ID] = p
	}
	rows, err := db.Table("product_images").
		Select("product_images.id, product_images.product_id, product_images.image_id, product_images.position, "+
			"images.key, images.format = 'png', images.width, images.height").
		Joins("JOIN images ON images.id = product_images.image_id AND images.business_id = product_images.business_id").
		Where("product_images.business_id = ?", businessID).
		Order("product_images.product_id, product_images.position, product_images.id").Rows()
	if err == nil {
		err = scanPhotos(rows, businessID, index, len(ps))
	}
	if err != nil {
		return fmt.Errorf("list product photos of business %d: %w", businessID, err)
	}
	return nil
}

// scanPhotos reads photo rows, ordered by product, into the products of
// index, and closes rows. The placements and images of all products share
// two slices, sized for about one photo a product. An image's format, jpeg
// or png (imagecodec writes no other), comes as a flag: a photo then costs
// no string but its key.
func scanPhotos(rows *sql.Rows, businessID int64, index map[int64]*domain.Product, hint int) error {
	defer rows.Close()
	pis := make([]domain.ProductImage, 0, hint)
	imgs := make([]domain.Image, 0, hint)
	// Scanned into once, outside the loop: Scan's pointers would move
	// variables declared per row to the heap.
	var (
		pi        domain.ProductImage
		img       domain.Image
		pos, w, h int64
		png       bool
	)
	for rows.Next() {
		pi, img = domain.ProductImage{}, domain.Image{}
		if err := rows.Scan(&pi.ID, &pi.ProductID, &pi.ImageID, &pos, &img.Key, &png, &w, &h); err != nil {
			return err
		}
		if index[pi.ProductID] == nil {
			continue
		}
		pi.BusinessID, pi.Position = businessID, int(pos)
		img.ID, img.BusinessID, img.Width, img.Height = pi.ImageID, businessID, int(w), int(h)
		img.Format = "jpeg"
		if png {
			img.Format = "png"
		}
		pis = append(pis, pi)
		imgs = append(imgs, img)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// Point each placement at its image once the slices stopped growing,
	// then give each product its run of placements (rows come by product).
	for j := range pis {
		pis[j].Image = &imgs[j]
	}
	for start := 0; start < len(pis); {
		end := start + 1
		for end < len(pis) && pis[end].ProductID == pis[start].ProductID {
			end++
		}
		index[pis[start].ProductID].Images = pis[start:end:end]
		start = end
	}
	return nil
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
