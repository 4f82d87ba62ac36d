package migrations

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// business0008 is the businesses table's subscription and referral columns.
type business0008 struct {
	ID                   int64
	ReferralCode         string `gorm:"size:20;not null;default:'';uniqueIndex"`
	SubscriptionStatus   string `gorm:"size:16;not null;default:trial;index"`
	TrialEndsAt          *time.Time
	TrialRemindedAt      *time.Time
	PastDueSince         *time.Time
	CurrentPeriodEnd     *time.Time
	CancelAtPeriodEnd    bool   `gorm:"not null;default:false"`
	StripeCustomerID     string `gorm:"size:64;not null;default:'';index"`
	StripeSubscriptionID string `gorm:"size:64;not null;default:''"`
	LastEventAt          *time.Time
}

func (business0008) TableName() string { return "businesses" }

type subscriptionChange0008 struct {
	ID            int64  `gorm:"primaryKey"`
	BusinessID    int64  `gorm:"not null;index"`
	From          string `gorm:"column:from_status;size:16;not null"`
	To            string `gorm:"column:to_status;size:16;not null"`
	Cause         string `gorm:"size:40;not null"`
	StripeEventID string `gorm:"size:255;not null;default:''"`
	CreatedAt     time.Time
}

func (subscriptionChange0008) TableName() string { return "subscription_changes" }

type stripeEvent0008 struct {
	ID         string `gorm:"primaryKey;size:255"`
	Type       string `gorm:"size:80;not null"`
	BusinessID *int64 `gorm:"index"`
	CreatedAt  time.Time
}

func (stripeEvent0008) TableName() string { return "stripe_events" }

type invoice0008 struct {
	ID              int64  `gorm:"primaryKey"`
	BusinessID      int64  `gorm:"not null;index"`
	StripeInvoiceID string `gorm:"size:255;not null;uniqueIndex"`
	Number          string `gorm:"size:64;not null;default:''"`
	AmountCents     int64  `gorm:"not null"`
	Currency        string `gorm:"size:3;not null"`
	Status          string `gorm:"size:16;not null"`
	HostedURL       string `gorm:"size:500;not null;default:''"`
	PeriodStart     time.Time
	PeriodEnd       time.Time
	EventAt         time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (invoice0008) TableName() string { return "invoices" }

type referral0008 struct {
	ID                 int64  `gorm:"primaryKey"`
	ReferrerID         int64  `gorm:"not null;index"`
	ReferredID         int64  `gorm:"not null;uniqueIndex"`
	Status             string `gorm:"size:16;not null;default:pending"`
	FailReason         string `gorm:"size:40;not null;default:''"`
	DecidedAt          *time.Time
	ReferrerRewardedAt *time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

func (referral0008) TableName() string { return "referrals" }

// billing adds subscriptions and referrals: the subscription columns of
// businesses (every existing business starts a 14-day trial now), its own
// referral code (the code typed at sign-up moves to referred_by_code), the
// history of subscription changes, applied Stripe events, invoices and
// referrals.
func billing() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0008_billing",
		Migrate: func(tx *gorm.DB) error {
			m := tx.Migrator()
			if err := m.RenameColumn("businesses", "referral_code", "referred_by_code"); err != nil {
				return err
			}
			for _, col := range []string{"ReferralCode", "SubscriptionStatus", "TrialEndsAt", "TrialRemindedAt",
				"PastDueSince", "CurrentPeriodEnd", "CancelAtPeriodEnd", "StripeCustomerID",
				"StripeSubscriptionID", "LastEventAt"} {
				if err := m.AddColumn(&business0008{}, col); err != nil {
					return fmt.Errorf("add businesses.%s: %w", col, err)
				}
			}
			if err := backfillBilling(tx); err != nil {
				return err
			}
			for _, idx := range []string{"ReferralCode", "SubscriptionStatus", "StripeCustomerID"} {
				if err := m.CreateIndex(&business0008{}, idx); err != nil {
					return fmt.Errorf("index businesses.%s: %w", idx, err)
				}
			}
			return m.CreateTable(&subscriptionChange0008{}, &stripeEvent0008{}, &invoice0008{}, &referral0008{})
		},
	}
}

// backfillBilling gives every existing business (soft-deleted ones too) a
// trial ending 14 days from now and a referral code of its own: QUBLY and
// random digits, at least 4, more when there are too many businesses for 4.
func backfillBilling(tx *gorm.DB) error {
	var ids []int64
	if err := tx.Table("businesses").Order("id").Pluck("id", &ids).Error; err != nil {
		return err
	}
	width := 4
	for pow := int64(10_000); int64(len(ids))*2 > pow; pow *= 10 {
		width++
	}
	max := big.NewInt(1)
	for range width {
		max.Mul(max, big.NewInt(10))
	}
	trialEnd := time.Now().UTC().Add(14 * 24 * time.Hour)
	used := make(map[string]bool, len(ids))
	for _, id := range ids {
		var code string
		for code == "" || used[code] {
			n, err := rand.Int(rand.Reader, max)
			if err != nil {
				return err
			}
			code = fmt.Sprintf("QUBLY%0*d", width, n.Int64())
		}
		used[code] = true
		if err := tx.Table("businesses").Where("id = ?", id).
			Updates(map[string]any{"referral_code": code, "trial_ends_at": trialEnd}).Error; err != nil {
			return err
		}
	}
	return nil
}
