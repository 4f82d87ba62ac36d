package repositories

import (
	"context"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// Businesses stores tenants.
type Businesses struct{ db *gorm.DB }

// NewBusinesses returns the businesses repository.
func NewBusinesses(db *gorm.DB) *Businesses { return &Businesses{db: db} }

// Create inserts b; a taken slug is domain.ErrConflict.
func (r *Businesses) Create(ctx context.Context, b *domain.Business) error {
	return mapErr(conn(ctx, r.db).Create(b).Error)
}

// Get loads a business by ID.
func (r *Businesses) Get(ctx context.Context, id int64) (*domain.Business, error) {
	var b domain.Business
	if err := conn(ctx, r.db).First(&b, id).Error; err != nil {
		return nil, mapErr(err)
	}
	return &b, nil
}

// GetBySlug loads a live business by its public slug.
func (r *Businesses) GetBySlug(ctx context.Context, slug string) (*domain.Business, error) {
	var b domain.Business
	if err := conn(ctx, r.db).Where("slug = ?", slug).First(&b).Error; err != nil {
		return nil, mapErr(err)
	}
	return &b, nil
}

// SlugTaken reports whether a live business uses slug.
func (r *Businesses) SlugTaken(ctx context.Context, slug string) (bool, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.Business{}).Where("slug = ?", slug).Count(&n).Error
	return n > 0, err
}
