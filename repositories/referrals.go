package repositories

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/qubly/qubly/domain"
)

// Referrals stores which business referred which.
type Referrals struct{ db *gorm.DB }

// NewReferrals returns the referrals repository.
func NewReferrals(db *gorm.DB) *Referrals { return &Referrals{db: db} }

// Create inserts ref.
func (r *Referrals) Create(ctx context.Context, ref *domain.Referral) error {
	return mapErr(conn(ctx, r.db).Create(ref).Error)
}

// OfReferred returns the referral that brought referredID, locked for the
// rest of the transaction on PostgreSQL; domain.ErrNotFound when it came on
// its own.
func (r *Referrals) OfReferred(ctx context.Context, referredID int64) (*domain.Referral, error) {
	db := conn(ctx, r.db)
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); inTx {
		db = db.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var ref domain.Referral
	if err := db.Where("referred_id = ?", referredID).Take(&ref).Error; err != nil {
		return nil, mapErr(err)
	}
	return &ref, nil
}

// CountSuccessfulSince counts referrerID's referrals that became successful
// at or after since.
func (r *Referrals) CountSuccessfulSince(ctx context.Context, referrerID int64, since time.Time) (int64, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.Referral{}).
		Where("referrer_id = ? AND status = ? AND decided_at >= ?", referrerID, domain.ReferralSuccessful, since).
		Count(&n).Error
	return n, mapErr(err)
}

// Decide records the outcome of a pending referral; a referral decided
// already is left alone and reported false.
func (r *Referrals) Decide(ctx context.Context, id int64, status domain.ReferralStatus, reason string, at time.Time) (bool, error) {
	res := conn(ctx, r.db).Model(&domain.Referral{}).
		Where("id = ? AND status = ?", id, domain.ReferralPending).
		Updates(map[string]any{"status": status, "fail_reason": reason, "decided_at": at, "updated_at": at})
	return res.RowsAffected == 1, mapErr(res.Error)
}

// ReferralView is a referral as its referrer sees it.
type ReferralView = domain.ReferralView

// ByReferrer lists referrerID's referrals, newest first, with the referred
// business's name.
func (r *Referrals) ByReferrer(ctx context.Context, referrerID int64) ([]ReferralView, error) {
	var vs []ReferralView
	err := conn(ctx, r.db).Table("referrals").
		Select("referrals.*, businesses.name AS business_name").
		Joins("JOIN businesses ON businesses.id = referrals.referred_id").
		Where("referrals.referrer_id = ?", referrerID).
		Order("referrals.created_at DESC, referrals.id DESC").Scan(&vs).Error
	return vs, mapErr(err)
}

// Unrewarded lists successful referrals whose referrer has not been
// credited yet, oldest first.
func (r *Referrals) Unrewarded(ctx context.Context, limit int) ([]domain.Referral, error) {
	var rs []domain.Referral
	err := conn(ctx, r.db).Where("status = ? AND referrer_rewarded_at IS NULL", domain.ReferralSuccessful).
		Order("id").Limit(limit).Find(&rs).Error
	return rs, mapErr(err)
}

// MarkRewarded records that the referrer's credit for referral id was
// applied and reports whether it did: a referral marked already is left
// alone and reported false.
func (r *Referrals) MarkRewarded(ctx context.Context, id int64, at time.Time) (bool, error) {
	res := conn(ctx, r.db).Model(&domain.Referral{}).
		Where("id = ? AND referrer_rewarded_at IS NULL", id).
		Updates(map[string]any{"referrer_rewarded_at": at, "updated_at": at})
	return res.RowsAffected == 1, mapErr(res.Error)
}
