package repositories

import (
	"context"
	"time"

	"github.com/qubly/qubly/domain"
)

// ClaimReward takes the lease on referral id's referrer reward at now and
// reports whether it got it: the referral must be successful, not rewarded,
// and not claimed since staleBefore (a claim older than that was left by a
// run that died). It is one conditional UPDATE, outside any transaction: on
// PostgreSQL a concurrent claim waits for this one's row lock and then finds
// the claim fresh, so of two runs only one calls Stripe.
func (r *Referrals) ClaimReward(ctx context.Context, id int64, now, staleBefore time.Time) (bool, error) {
	res := conn(ctx, r.db).Model(&domain.Referral{}).
		Where("id = ? AND status = ? AND referrer_rewarded_at IS NULL", id, domain.ReferralSuccessful).
		Where("referrer_reward_claimed_at IS NULL OR referrer_reward_claimed_at < ?", staleBefore).
		Updates(map[string]any{"referrer_reward_claimed_at": now, "updated_at": now})
	return res.RowsAffected == 1, mapErr(res.Error)
}

// ReleaseReward gives up the claim on referral id (after a failed Stripe
// call), so the next run may try again at once.
func (r *Referrals) ReleaseReward(ctx context.Context, id int64) error {
	return mapErr(conn(ctx, r.db).Model(&domain.Referral{}).
		Where("id = ? AND referrer_rewarded_at IS NULL", id).
		Update("referrer_reward_claimed_at", nil).Error)
}
