package services

import (
	"context"
	"fmt"
	"time"

	"github.com/qubly/qubly/domain"
)

// ReferralSummaryRepo is what ReferralSummaries needs of the referrals repository.
type ReferralSummaryRepo interface {
	ByReferrer(ctx context.Context, referrerID int64) ([]domain.ReferralView, error)
	CountSuccessfulSince(ctx context.Context, referrerID int64, since time.Time) (int64, error)
}

// ReferralSummary is what a business sees of the businesses it referred.
type ReferralSummary struct {
	// Referrals are newest first, with the referred business's name.
	Referrals []domain.ReferralView
	// RewardsThisYear counts the successful referrals of the current
	// calendar year in Mexico City, out of domain.ReferralRewardsPerYear.
	RewardsThisYear int64
	RewardsPerYear  int
}

// ReferralSummaries tells a business how its referrals stand.
type ReferralSummaries struct {
	repo  ReferralSummaryRepo
	clock Clock
}

// NewReferralSummaries returns the referral summaries over repo.
func NewReferralSummaries(repo ReferralSummaryRepo, clock Clock) *ReferralSummaries {
	if clock == nil {
		clock = func() time.Time { return time.Now().UTC() }
	}
	return &ReferralSummaries{repo: repo, clock: clock}
}

// Of returns businessID's referrals and this year's rewards.
func (s *ReferralSummaries) Of(ctx context.Context, businessID int64) (*ReferralSummary, error) {
	refs, err := s.repo.ByReferrer(ctx, businessID)
	if err != nil {
		return nil, fmt.Errorf("list referrals of business %d: %w", businessID, err)
	}
	_, yearStart := domain.ReferralYear(s.clock())
	n, err := s.repo.CountSuccessfulSince(ctx, businessID, yearStart)
	if err != nil {
		return nil, fmt.Errorf("count rewards of business %d: %w", businessID, err)
	}
	return &ReferralSummary{Referrals: refs, RewardsThisYear: n, RewardsPerYear: domain.ReferralRewardsPerYear}, nil
}
