package services

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"

	"github.com/qubly/qubly/domain"
)

// ReferralRepo is what Referrals needs of the referrals repository.
type ReferralRepo interface {
	Create(ctx context.Context, ref *domain.Referral) error
}

// ReferralCodeRepo is what Referrals needs of the businesses repository.
type ReferralCodeRepo interface {
	ReferralCodeTaken(ctx context.Context, code string) (bool, error)
	GetByReferralCode(ctx context.Context, code string) (*domain.Business, error)
}

// Referrals owns referral codes and the referrals between businesses.
type Referrals struct {
	repo  ReferralRepo
	codes ReferralCodeRepo
	// randN returns a uniform random number in [0, n); tests replace it to
	// force collisions.
	randN func(n int64) int64
}

// ReferralsDeps groups what NewReferrals needs.
type ReferralsDeps struct {
	Repo  ReferralRepo
	Codes ReferralCodeRepo
	// RandN is the random source of new codes; nil is crypto/rand.
	RandN func(n int64) int64
}

// NewReferrals returns the referrals service.
func NewReferrals(d ReferralsDeps) *Referrals {
	s := &Referrals{repo: d.Repo, codes: d.Codes, randN: d.RandN}
	if s.randN == nil {
		s.randN = cryptoRandN
	}
	return s
}

func cryptoRandN(n int64) int64 {
	v, err := rand.Int(rand.Reader, big.NewInt(n))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return v.Int64()
}

// Code widening: after this many taken draws in a row at one width, the
// codes get one more digit, so sign-up never fails when a width fills up.
const (
	codeDrawsPerWidth = 8
	codeMaxDigits     = 12
)

// NewCode returns a referral code no business has: QUBLY and 4 random
// digits, drawn again when taken, with a digit more after
// codeDrawsPerWidth taken draws in a row (the space is nearly full).
func (s *Referrals) NewCode(ctx context.Context) (string, error) {
	space := int64(1)
	for range domain.ReferralCodeDigits {
		space *= 10
	}
	for width := domain.ReferralCodeDigits; width <= codeMaxDigits; width++ {
		for range codeDrawsPerWidth {
			code := domain.ReferralCode(int(s.randN(space)), width)
			taken, err := s.codes.ReferralCodeTaken(ctx, code)
			if err != nil {
				return "", fmt.Errorf("check referral code: %w", err)
			}
			if !taken {
				return code, nil
			}
		}
		space *= 10
	}
	return "", errors.New("no free referral code found")
}

// Referrer returns the business whose code is code, as typed at sign-up
// (case and spaces do not matter). A code of the wrong form, or no
// business's, is a field error on field.
func (s *Referrals) Referrer(ctx context.Context, field, code string) (*domain.Business, error) {
	code, ok := domain.NormalizeReferralCode(code)
	if !ok {
		return nil, domain.NewFieldError(field, "validation.referral")
	}
	b, err := s.codes.GetByReferralCode(ctx, code)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, domain.NewFieldError(field, "validation.referral_unknown")
	}
	return b, err
}

// Refer records that referrer brought referred (created in the caller's
// transaction); the referral is pending until referred pays.
func (s *Referrals) Refer(ctx context.Context, referrerID, referredID int64) error {
	return s.repo.Create(ctx, &domain.Referral{ReferrerID: referrerID, ReferredID: referredID, Status: domain.ReferralPending})
}
