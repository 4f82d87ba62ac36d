package domain

import (
	"fmt"
	"strings"
	"time"
)

// ReferralStatus is where a referral stands.
type ReferralStatus string

// Referral statuses: pending until the referred business pays its first
// invoice, then successful or failed (with the reason kept).
const (
	ReferralPending    ReferralStatus = "pending"
	ReferralSuccessful ReferralStatus = "successful"
	ReferralFailed     ReferralStatus = "failed"
)

// Reasons a referral failed.
const (
	ReferralFailedYearLimit = "year_limit"
	ReferralFailedSelf      = "self_referral"
)

// ReferralRewardsPerYear is how many successful referrals a business is
// rewarded for in a calendar year (Mexico City time).
const ReferralRewardsPerYear = 3

// ReferralCodePrefix starts every referral code; digits follow.
const ReferralCodePrefix = "QUBLY"

// ReferralCodeDigits is how many digits a new code has at first; sign-up
// widens it when codes of that width are nearly all taken.
const ReferralCodeDigits = 4

// ReferralCodeMax bounds a referral code as typed (prefix, digits, spaces).
const ReferralCodeMax = 20

// Referral is one business sent to Qubly by another with its code.
type Referral struct {
	ID         int64 `gorm:"primaryKey"`
	ReferrerID int64 `gorm:"not null;index"`
	// ReferredID is unique: a business is referred at most once.
	ReferredID int64          `gorm:"not null;uniqueIndex"`
	Status     ReferralStatus `gorm:"size:16;not null;default:pending"`
	FailReason string         `gorm:"size:40;not null;default:''"`
	// DecidedAt is when it became successful or failed.
	DecidedAt *time.Time
	// ReferrerRewardedAt is when the referrer's credit was applied in Stripe.
	ReferrerRewardedAt *time.Time
	// ReferrerRewardClaimedAt is when a run of the reward job claimed the
	// referral to credit the referrer; a claim older than the lease is
	// taken over (the Stripe call's idempotency key keeps the credit single).
	ReferrerRewardClaimedAt *time.Time
	CreatedAt               time.Time
	UpdatedAt               time.Time
}

// ReferralView is a referral as its referrer sees it: with the referred
// business's name.
type ReferralView struct {
	Referral
	BusinessName string
}

// ReferralCode formats a code with n as its digits, zero-padded to width.
func ReferralCode(n, width int) string {
	return fmt.Sprintf("%s%0*d", ReferralCodePrefix, width, n)
}

// NormalizeReferralCode folds a typed code to its stored form (upper case,
// no spaces) and reports whether it has the form of a code.
func NormalizeReferralCode(s string) (string, bool) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	digits, ok := strings.CutPrefix(s, ReferralCodePrefix)
	if !ok || len(digits) < ReferralCodeDigits || len(s) > ReferralCodeMax {
		return s, false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return s, false
		}
	}
	return s, true
}

// ReferralYear is the calendar year of t in Mexico City, the year the
// referral reward limit counts in, with its first instant.
func ReferralYear(t time.Time) (year int, start time.Time) {
	loc, err := time.LoadLocation(DefaultTimeZone)
	if err != nil {
		loc = time.UTC
	}
	local := t.In(loc)
	return local.Year(), time.Date(local.Year(), 1, 1, 0, 0, 0, 0, loc).UTC()
}
