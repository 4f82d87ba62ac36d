package services

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/qubly/qubly/domain"
)

// ReferralRewardRepo is what ReferralRewards needs of the referrals repository.
type ReferralRewardRepo interface {
	Unrewarded(ctx context.Context, limit int) ([]domain.Referral, error)
	ClaimReward(ctx context.Context, id int64, now, staleBefore time.Time) (bool, error)
	ReleaseReward(ctx context.Context, id int64) error
	MarkRewarded(ctx context.Context, id int64, at time.Time) (bool, error)
}

// ReferralCredits gives a Stripe customer a balance credit (stripe.Client):
// a retry with the same idempotency key never credits twice.
type ReferralCredits interface {
	CreditBalance(ctx context.Context, customerID string, amount domain.Money, currency, description, idempotencyKey string) (string, error)
}

// rewardLease is how long a claim on a referral's reward holds before
// another run may take it over (the run that took it died).
const rewardLease = 15 * time.Minute

// rewardBatch is how many referrals a reward run loads at a time.
const rewardBatch = 50

// ReferralRewards credits referrers for their successful referrals: a
// Stripe customer balance credit off their next invoice and an email,
// exactly once per referral.
type ReferralRewards struct {
	subs    *Subscriptions
	repo    ReferralRewardRepo
	credits ReferralCredits
	tx      Transactor
	price   int64
	percent func() int
}

// ReferralRewardsDeps groups what NewReferralRewards needs.
type ReferralRewardsDeps struct {
	// Subscriptions loads the businesses and emails their owners.
	Subscriptions *Subscriptions
	Repo          ReferralRewardRepo
	Credits       ReferralCredits
	Tx            Transactor
	// PlanPriceCents × RewardPercent() / 100 is each reward; the percent is
	// read at each run (the platform settings).
	PlanPriceCents int64
	RewardPercent  func() int
}

// NewReferralRewards returns the referrer rewards job.
func NewReferralRewards(d ReferralRewardsDeps) *ReferralRewards {
	return &ReferralRewards{
		subs: d.Subscriptions, repo: d.Repo, credits: d.Credits, tx: d.Tx,
		price: d.PlanPriceCents, percent: d.RewardPercent,
	}
}

// Amount is the credit a referrer gets per successful referral.
func (r *ReferralRewards) Amount() domain.Money {
	return ReferralRewardAmount(r.price, r.percent())
}

// ReferralRewardAmount is percent of the plan's monthly price.
func ReferralRewardAmount(planPriceCents int64, percent int) domain.Money {
	return domain.Money(planPriceCents * int64(percent) / 100)
}

// RewardReferrers credits the referrer of every successful referral not
// rewarded yet whose referrer has a Stripe customer (the others wait until
// they have one). A referral that fails is logged and the others go on;
// only a failure to list them is returned.
func (r *ReferralRewards) RewardReferrers(ctx context.Context) error {
	amount := r.Amount()
	if amount <= 0 {
		return nil
	}
	key := func(ref domain.Referral) int64 { return ref.ID }
	return eachNew(ctx, rewardBatch, r.repo.Unrewarded, key, func(ctx context.Context, ref domain.Referral) {
		if err := r.reward(ctx, ref, amount); err != nil {
			r.subs.log.ErrorContext(ctx, "referral reward failed", "referral_id", ref.ID,
				"referrer_id", ref.ReferrerID, "err", err)
		}
	})
}

// reward credits ref's referrer. It first claims the referral (a short
// conditional UPDATE, so no transaction stays open during the Stripe call):
// a run that finds it claimed leaves it. The credit's idempotency key is the
// referral's, so a run that takes over the claim of one that died after
// crediting gets Stripe's first answer, not a second credit. The referral
// is then marked rewarded and the email queued in one transaction.
func (r *ReferralRewards) reward(ctx context.Context, ref domain.Referral, amount domain.Money) error {
	referrer, err := r.subs.repo.Business(ctx, ref.ReferrerID)
	if err != nil {
		return fmt.Errorf("load referrer: %w", err)
	}
	if referrer.StripeCustomerID == "" || referrer.DeletedAt.Valid {
		return nil // pending until the referrer has a Stripe customer
	}
	referred, err := r.subs.repo.Business(ctx, ref.ReferredID)
	if err != nil {
		return fmt.Errorf("load referred business: %w", err)
	}
	now := r.subs.clock()
	claimed, err := r.repo.ClaimReward(ctx, ref.ID, now, now.Add(-rewardLease))
	if err != nil || !claimed {
		return err
	}
	// The description is the same on every try (never the referred store's
	// name, which may change): Stripe refuses a reused idempotency key
	// whose parameters differ.
	txID, err := r.credits.CreditBalance(ctx, referrer.StripeCustomerID, amount, "mxn",
		fmt.Sprintf("Qubly: recompensa por referido #%d", ref.ID), fmt.Sprintf("qubly-referral-%d", ref.ID))
	if err != nil {
		if rerr := r.repo.ReleaseReward(context.WithoutCancel(ctx), ref.ID); rerr != nil {
			err = errors.Join(err, fmt.Errorf("release claim: %w", rerr))
		}
		return err
	}
	err = r.tx.InTx(ctx, func(ctx context.Context) error {
		marked, err := r.repo.MarkRewarded(ctx, ref.ID, now)
		if err != nil || !marked {
			return err
		}
		return r.subs.notify(ctx, referrer, "referral_reward", map[string]any{
			"Referred": referred.Name, "Amount": amount.Pesos(),
			"Link": r.subs.baseURL + "/dashboard/referrals",
		})
	})
	if err != nil {
		// The claim stays: after the lease a run retries with the same key.
		return fmt.Errorf("record reward credited in Stripe as %s: %w", txID, err)
	}
	r.subs.log.InfoContext(ctx, "referrer rewarded", "referral_id", ref.ID, "referrer_id", referrer.ID,
		"amount", int64(amount), "stripe_balance_transaction", txID)
	return nil
}
