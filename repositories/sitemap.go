package repositories

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// Sitemap reads what the public sitemap lists across every store: live
// stores and the products a shopper can see. It is the one place that reads
// many tenants at once, and it only reads public data.
type Sitemap struct{ db *gorm.DB }

// NewSitemap returns the sitemap repository.
func NewSitemap(db *gorm.DB) *Sitemap { return &Sitemap{db: db} }

// sqlChunk bounds the IDs in one IN list (SQLite and PostgreSQL cap bind
// parameters).
const sqlChunk = 1000

// LiveStores returns up to limit stores that are not deleted with an ID
// above afterID, by ID, for keyset paging.
func (r *Sitemap) LiveStores(ctx context.Context, afterID int64, limit int) ([]domain.Business, error) {
	var bs []domain.Business
	err := conn(ctx, r.db).Where("id > ?", afterID).Order("id").Limit(limit).Find(&bs).Error
	if err != nil {
		return nil, fmt.Errorf("sitemap stores after %d: %w", afterID, err)
	}
	return bs, nil
}

// ProductCounts returns, for every live store with products a shopper sees
// (the shopperVisible scope), how
// many it has and when the newest changed, by business ID.
func (r *Sitemap) ProductCounts(ctx context.Context) (map[int64]domain.SitemapProductCount, error) {
	rows, err := conn(ctx, r.db).Table("products").Scopes(shopperVisible).
		Select("products.business_id, COUNT(*), MAX(products.updated_at)").
		Joins("JOIN businesses b ON b.id = products.business_id AND b.deleted_at IS NULL").
		Group("products.business_id").Rows()
	if err != nil {
		return nil, fmt.Errorf("sitemap product counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]domain.SitemapProductCount{}
	for rows.Next() {
		var c domain.SitemapProductCount
		var last dbTime
		if err := rows.Scan(&c.BusinessID, &c.Products, &last); err != nil {
			return nil, fmt.Errorf("sitemap product counts: %w", err)
		}
		c.UpdatedAt = last.Time
		out[c.BusinessID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sitemap product counts: %w", err)
	}
	return out, nil
}

// Products returns the visible products of the given stores ordered by
// business ID then product ID, each with its first photo, in one query per
// sqlChunk stores.
func (r *Sitemap) Products(ctx context.Context, businessIDs []int64) ([]domain.SitemapProduct, error) {
	var out []domain.SitemapProduct
	for start := 0; start < len(businessIDs); start += sqlChunk {
		ids := businessIDs[start:min(start+sqlChunk, len(businessIDs))]
		var rows []domain.SitemapProduct
		err := conn(ctx, r.db).Table("products").Scopes(shopperVisible).
			Select(`products.id, products.business_id, products.slug, products.updated_at, i.key AS image_key, i.format AS image_format`).
			// The first photo: the placement no other placement of the product precedes.
			Joins(`LEFT JOIN product_images pi ON pi.product_id = products.id AND pi.business_id = products.business_id AND NOT EXISTS (
				SELECT 1 FROM product_images x WHERE x.product_id = pi.product_id AND x.business_id = pi.business_id
				AND (x.position < pi.position OR (x.position = pi.position AND x.id < pi.id)))`).
			Joins("LEFT JOIN images i ON i.id = pi.image_id AND i.business_id = products.business_id").
			Where("products.business_id IN ?", ids).
			Order("products.business_id, products.id").Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("sitemap products: %w", err)
		}
		out = append(out, rows...)
	}
	return out, nil
}

// Images returns images by ID across stores (a store's logo or cover in the
// sitemap).
func (r *Sitemap) Images(ctx context.Context, ids []int64) (map[int64]*domain.Image, error) {
	out := make(map[int64]*domain.Image, len(ids))
	for start := 0; start < len(ids); start += sqlChunk {
		var imgs []domain.Image
		if err := conn(ctx, r.db).Where("id IN ?", ids[start:min(start+sqlChunk, len(ids))]).Find(&imgs).Error; err != nil {
			return nil, fmt.Errorf("sitemap images: %w", err)
		}
		for i := range imgs {
			out[imgs[i].ID] = &imgs[i]
		}
	}
	return out, nil
}

// dbTime scans a timestamp that an aggregate returns: a time on PostgreSQL,
// text on SQLite.
type dbTime struct{ time.Time }

var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
}

func (t *dbTime) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case nil:
		t.Time = time.Time{}
		return nil
	case time.Time:
		t.Time = x
		return nil
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return fmt.Errorf("scan time from %T", v)
	}
	for _, layout := range sqliteTimeLayouts {
		if p, err := time.Parse(layout, s); err == nil {
			t.Time = p
			return nil
		}
	}
	return fmt.Errorf("scan time from %q", s)
}
