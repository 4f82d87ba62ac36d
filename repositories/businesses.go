package repositories

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/qubly/qubly/domain"
)

// Businesses stores tenants.
type Businesses struct{ db *gorm.DB }

// NewBusinesses returns the businesses repository.
func NewBusinesses(db *gorm.DB) *Businesses { return &Businesses{db: db} }

// Create inserts b; a taken slug is domain.ErrConflict, a taken referral
// code domain.ErrReferralCodeTaken.
func (r *Businesses) Create(ctx context.Context, b *domain.Business) error {
	err := mapErr(conn(ctx, r.db).Create(b).Error)
	if errors.Is(err, domain.ErrConflict) && strings.Contains(err.Error(), "referral_code") {
		return domain.ErrReferralCodeTaken
	}
	return err
}

// ReferralCodeTaken reports whether code belongs to a business, deleted or
// not (codes are never reused).
func (r *Businesses) ReferralCodeTaken(ctx context.Context, code string) (bool, error) {
	var n int64
	err := conn(ctx, r.db).Unscoped().Model(&domain.Business{}).Where("referral_code = ?", code).Count(&n).Error
	return n > 0, err
}

// GetByReferralCode loads the live business whose own referral code is code.
func (r *Businesses) GetByReferralCode(ctx context.Context, code string) (*domain.Business, error) {
	var b domain.Business
	if err := conn(ctx, r.db).Where("referral_code = ?", code).First(&b).Error; err != nil {
		return nil, mapErr(err)
	}
	return &b, nil
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

// SlugTaken reports whether slug is in use by a live business or still
// redirects to one after a rename.
func (r *Businesses) SlugTaken(ctx context.Context, slug string) (bool, error) {
	return r.SlugTakenByOther(ctx, slug, 0)
}

// SlugTakenByOther is SlugTaken ignoring business exceptID (its own current
// and old slugs are free for it to take back).
func (r *Businesses) SlugTakenByOther(ctx context.Context, slug string, exceptID int64) (bool, error) {
	db := conn(ctx, r.db)
	var n int64
	if err := db.Model(&domain.Business{}).Where("slug = ? AND id <> ?", slug, exceptID).Count(&n).Error; err != nil || n > 0 {
		return n > 0, err
	}
	err := db.Model(&domain.SlugRedirect{}).Where("slug = ? AND business_id <> ?", slug, exceptID).Count(&n).Error
	return n > 0, err
}

// UpdateSettings saves the store profile fields of b (not its slug, images
// or rating, which have their own writes).
func (r *Businesses) UpdateSettings(ctx context.Context, b *domain.Business) error {
	res := conn(ctx, r.db).Model(&domain.Business{}).Where("id = ?", b.ID).Select(
		"name", "description", "whatsapp", "time_zone", "language", "address", "city",
		"primary_color", "accent_color", "hours", "closed_now", "closed_message", "orders_when_closed",
		"pickup_enabled", "delivery_enabled", "delivery_fee_cents", "delivery_min_cents",
		"pay_cash", "pay_cash_note", "pay_transfer", "pay_transfer_clabe", "pay_transfer_bank",
		"pay_transfer_holder", "pay_transfer_note", "pay_card_on_delivery", "pay_card_on_delivery_note",
		"instagram", "facebook", "tiktok", "website", "seo_title", "seo_description", "updated_at",
	).Updates(b)
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// ChangeSlug moves business id from its current slug to slug, keeping the old
// one as a redirect. Call it inside a transaction.
func (r *Businesses) ChangeSlug(ctx context.Context, id int64, old, slug string, now time.Time) error {
	db := conn(ctx, r.db)
	if err := db.Where("slug = ? AND business_id = ?", slug, id).Delete(&domain.SlugRedirect{}).Error; err != nil {
		return err
	}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).
		Create(&domain.SlugRedirect{BusinessID: id, Slug: old, CreatedAt: now}).Error; err != nil {
		return mapErr(err)
	}
	res := db.Model(&domain.Business{}).Where("id = ? AND slug = ?", id, old).Updates(map[string]any{"slug": slug, "updated_at": now})
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.ErrConflict
	}
	return nil
}

// RedirectTarget returns the current slug of the business that used to be
// at old, or domain.ErrNotFound.
func (r *Businesses) RedirectTarget(ctx context.Context, old string) (string, error) {
	var slug string
	err := conn(ctx, r.db).Model(&domain.Business{}).
		Joins("JOIN slug_redirects ON slug_redirects.business_id = businesses.id").
		Where("slug_redirects.slug = ?", old).Limit(1).Pluck("businesses.slug", &slug).Error
	if err != nil {
		return "", err
	}
	if slug == "" {
		return "", domain.ErrNotFound
	}
	return slug, nil
}
