package domain

import (
	"time"

	"gorm.io/gorm"
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
}

// ReviewStatus is where a review stands in moderation.
type ReviewStatus string

// Review statuses.
const (
	ReviewPending  ReviewStatus = "pending"
	ReviewApproved ReviewStatus = "approved"
	ReviewRejected ReviewStatus = "rejected"
)

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
