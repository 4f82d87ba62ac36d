package services

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
)

// ReferralDecisionRepo is what deciding a referral needs of the referrals
// repository.
type ReferralDecisionRepo interface {
	OfReferred(ctx context.Context, referredID int64) (*domain.Referral, error)
	CountSuccessfulSince(ctx context.Context, referrerID int64, since time.Time) (int64, error)
	Decide(ctx context.Context, id int64, status domain.ReferralStatus, reason string, at time.Time) (bool, error)
}

// decideReferral decides the pending referral that brought referred, which
// just paid an invoice (its first: a decided referral is left alone), in
// the caller's transaction: successful while its referrer has fewer than
// domain.ReferralRewardsPerYear successful referrals this calendar year in
// Mexico City, else failed (year_limit); failed (self_referral) when both
// businesses share the owner's email, the WhatsApp number or the Stripe
// customer. The referrer's row is locked first, so two decisions for one
// referrer run one after the other and cannot both take the last reward.
func (s *Subscriptions) decideReferral(ctx context.Context, referred *domain.Business) error {
	// Only a store that signed up with a code has a referral.
	if s.referrals == nil || referred.ReferredByCode == "" {
		return nil
	}
	ref, err := s.referrals.OfReferred(ctx, referred.ID)
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load referral of business %d: %w", referred.ID, err)
	}
	if ref.Status != domain.ReferralPending {
		return nil
	}
	referrer, err := s.repo.Business(ctx, ref.ReferrerID)
	if err != nil {
		return fmt.Errorf("load referrer %d of business %d: %w", ref.ReferrerID, referred.ID, err)
	}
	now := s.clock()
	status, reason, err := s.referralOutcome(ctx, referrer, referred, now)
	if err != nil {
		return err
	}
	if _, err := s.referrals.Decide(ctx, ref.ID, status, reason, now); err != nil {
		return fmt.Errorf("decide referral %d: %w", ref.ID, err)
	}
	s.log.InfoContext(ctx, "referral decided", "referral_id", ref.ID, "referrer_id", referrer.ID,
		"referred_id", referred.ID, "status", status, "reason", reason)
	return nil
}

// referralOutcome is what a pending referral of referred by referrer
// becomes at now.
func (s *Subscriptions) referralOutcome(ctx context.Context, referrer, referred *domain.Business, now time.Time) (domain.ReferralStatus, string, error) {
	self, err := s.selfReferral(ctx, referrer, referred)
	if err != nil {
		return "", "", err
	}
	if self {
		return domain.ReferralFailed, domain.ReferralFailedSelf, nil
	}
	_, yearStart := domain.ReferralYear(now)
	n, err := s.referrals.CountSuccessfulSince(ctx, referrer.ID, yearStart)
	if err != nil {
		return "", "", fmt.Errorf("count successful referrals of %d: %w", referrer.ID, err)
	}
	if n >= domain.ReferralRewardsPerYear {
		return domain.ReferralFailed, domain.ReferralFailedYearLimit, nil
	}
	return domain.ReferralSuccessful, "", nil
}

// selfReferral reports whether referred is the referrer again: the same
// WhatsApp number, the same Stripe customer or the same owner's email.
func (s *Subscriptions) selfReferral(ctx context.Context, referrer, referred *domain.Business) (bool, error) {
	if referrer.WhatsApp != "" && referrer.WhatsApp == referred.WhatsApp {
		return true, nil
	}
	if c := referrer.StripeCustomerID; c != "" && c == referred.StripeCustomerID {
		return true, nil
	}
	a, err := s.ownerEmail(ctx, referrer.ID)
	if err != nil {
		return false, err
	}
	b, err := s.ownerEmail(ctx, referred.ID)
	if err != nil {
		return false, err
	}
	return a != "" && strings.EqualFold(a, b), nil
}

// ownerEmail is businessID's owner's email, "" when it has no owner.
func (s *Subscriptions) ownerEmail(ctx context.Context, businessID int64) (string, error) {
	u, err := s.owners.Owner(ctx, businessID)
	if errors.Is(err, domain.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("load owner of business %d: %w", businessID, err)
	}
	return u.Email, nil
}
