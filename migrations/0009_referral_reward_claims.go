package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// referral0009 holds the referrer reward's claim column.
type referral0009 struct {
	ReferrerRewardClaimedAt *time.Time
}

func (referral0009) TableName() string { return "referrals" }

// referralRewardClaims adds referrals.referrer_reward_claimed_at, the lease
// a run of the reward job takes on a referral before it credits the
// referrer in Stripe, so two runs never both call Stripe for it.
func referralRewardClaims() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0009_referral_reward_claims",
		Migrate: func(tx *gorm.DB) error {
			return tx.Migrator().AddColumn(&referral0009{}, "ReferrerRewardClaimedAt")
		},
	}
}
