package domain

import (
	"time"

	"gorm.io/gorm"
)

// Catalog text limits, in characters; each is also the maxlength of its
// input and at most the size of its column (see TestLimitsMatchColumns).
const (
	CategoryNameMax = 80
	ProductNameMax  = 120
	// ProductSlugMax is what the form accepts; the column (products.slug,
	// migration 0001) is wider: 120.
	ProductSlugMax   = 80
	ProductDescMax   = 2000
	OptionNameMax    = 80
	ReviewNameMax    = 80
	ReviewCommentMax = 1000
	// SearchQueryMax bounds a search box's text (store and dashboard).
	SearchQueryMax = 100
)

// Catalog count and amount limits.
const (
	MaxOptionGroups  = 10 // per product
	MaxOptionChoices = 30 // per group
	MaxOptionSelect  = 20 // a group's min and max picks
	MaxStock         = 1_000_000
	// MaxPriceCents bounds a price and an option's price change: $1,000,000.00.
	MaxPriceCents = Money(1_000_000 * 100)
)

// Category groups products in a store.
type Category struct {
	ID         int64  `gorm:"primaryKey"`
	BusinessID int64  `gorm:"not null;index;uniqueIndex:idx_categories_slug,priority:1,where:deleted_at IS NULL"`
	Name       string `gorm:"size:80;not null"`
	Slug       string `gorm:"size:80;not null;uniqueIndex:idx_categories_slug,priority:2,where:deleted_at IS NULL"`
	Position   int    `gorm:"not null;default:0"`
	Hidden     bool   `gorm:"not null;default:false"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
	DeletedAt  gorm.DeletedAt `gorm:"index"`
}

// Product is something a store sells. Prices are centavos.
type Product struct {
	ID             int64  `gorm:"primaryKey"`
	BusinessID     int64  `gorm:"not null;index;uniqueIndex:idx_products_slug,priority:1,where:deleted_at IS NULL"`
	CategoryID     *int64 `gorm:"index"`
	Name           string `gorm:"size:120;not null"`
	Slug           string `gorm:"size:120;not null;uniqueIndex:idx_products_slug,priority:2,where:deleted_at IS NULL"`
	Description    string `gorm:"size:2000;not null;default:''"`
	PriceCents     Money  `gorm:"not null"`
	CompareAtCents *Money
	Active         bool `gorm:"not null;default:true"`
	SoldOut        bool `gorm:"not null;default:false"`
	// Stock is nil when the store does not count units.
	Stock     *int
	Position  int `gorm:"not null;default:0"`
	CreatedAt time.Time
	UpdatedAt time.Time
	DeletedAt gorm.DeletedAt `gorm:"index"`

	// Loaded on demand, never saved through Product.
	Images  []ProductImage `gorm:"-"`
	Options []OptionGroup  `gorm:"-"`
}

// MaxProductImages is how many photos a product may have.
const MaxProductImages = 5

// Shown reports whether a shopper sees p on the store: p is live and
// active, and its category c (nil when it has none) is not hidden. A deleted
// category counts as none. Repositories apply the same rule in SQL (their
// shopperVisible scope), so the store page, the sitemap and ordering agree.
func (p *Product) Shown(c *Category) bool {
	return !p.DeletedAt.Valid && p.Active && (c == nil || c.DeletedAt.Valid || !c.Hidden)
}

// InStock reports whether p has units to sell: not marked sold out and, when
// the store counts its units, at least one left.
func (p *Product) InStock() bool {
	return !p.SoldOut && (p.Stock == nil || *p.Stock > 0)
}

// Available reports whether a shopper can order p now, once p is known to be
// shown in its category: active and in stock.
func (p *Product) Available() bool {
	return p.Active && p.InStock()
}

// Orderable reports whether a shopper can see and buy p now: Shown in its
// category c and InStock.
func (p *Product) Orderable(c *Category) bool {
	return p.Shown(c) && p.InStock()
}

// ProductImage places an uploaded image on a product, in order.
type ProductImage struct {
	ID         int64 `gorm:"primaryKey"`
	BusinessID int64 `gorm:"not null;index"`
	ProductID  int64 `gorm:"not null;index"`
	ImageID    int64 `gorm:"not null"`
	Position   int   `gorm:"not null;default:0"`
	CreatedAt  time.Time

	Image *Image `gorm:"-"`
}

// OptionGroup is a choice on a product, e.g. "Tamaño" (pick 1) or "Extras"
// (pick 0 to 3). MinSelect 0 makes it optional.
type OptionGroup struct {
	ID         int64  `gorm:"primaryKey"`
	BusinessID int64  `gorm:"not null;index"`
	ProductID  int64  `gorm:"not null;index"`
	Name       string `gorm:"size:80;not null"`
	MinSelect  int    `gorm:"not null;default:0"`
	MaxSelect  int    `gorm:"not null;default:1"`
	Position   int    `gorm:"not null;default:0"`
	CreatedAt  time.Time
	UpdatedAt  time.Time

	Choices []OptionChoice `gorm:"-"`
}

// OptionChoice is one pick in a group, with its price change in centavos.
type OptionChoice struct {
	ID         int64  `gorm:"primaryKey"`
	BusinessID int64  `gorm:"not null;index"`
	GroupID    int64  `gorm:"not null;index"`
	Name       string `gorm:"size:80;not null"`
	DeltaCents Money  `gorm:"not null;default:0"`
	Position   int    `gorm:"not null;default:0"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ReviewStatus is where a review stands in moderation.
type ReviewStatus string

// Review statuses.
const (
	ReviewPending  ReviewStatus = "pending"
	ReviewApproved ReviewStatus = "approved"
	ReviewRejected ReviewStatus = "rejected"
)

// Valid reports whether s is a known status.
func (s ReviewStatus) Valid() bool {
	return s == ReviewPending || s == ReviewApproved || s == ReviewRejected
}

// Review is a shopper's rating of a store, shown once the owner approves it.
type Review struct {
	ID         int64        `gorm:"primaryKey"`
	BusinessID int64        `gorm:"not null;index:idx_reviews_business_status,priority:1"`
	AuthorName string       `gorm:"size:80;not null"`
	Rating     int          `gorm:"not null"`
	Comment    string       `gorm:"size:1000;not null;default:''"`
	Status     ReviewStatus `gorm:"size:20;not null;default:pending;index:idx_reviews_business_status,priority:2"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}
