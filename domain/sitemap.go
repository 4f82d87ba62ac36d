package domain

import "time"

// SitemapProductCount is how many products of a store a shopper can see and
// when the newest of them changed.
type SitemapProductCount struct {
	BusinessID int64
	Products   int
	UpdatedAt  time.Time
}

// SitemapProduct is a product a shopper can see, as the sitemap lists it,
// with its main photo.
type SitemapProduct struct {
	ID         int64
	BusinessID int64
	Slug       string
	UpdatedAt  time.Time
	// ImageKey and ImageFormat name the first photo; both "" without one.
	ImageKey    string
	ImageFormat string
}

// Image returns the product's main photo (Key and Format set), or nil.
func (p *SitemapProduct) Image() *Image {
	if p.ImageKey == "" {
		return nil
	}
	return &Image{BusinessID: p.BusinessID, Key: p.ImageKey, Format: p.ImageFormat}
}
