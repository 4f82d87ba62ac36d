package domain

import "time"

// CleanupCandidate is a business the cleanup job may remove, with its
// owner (empty OwnerEmail and nil OwnerCreatedAt when it has none).
type CleanupCandidate struct {
	BusinessID           int64
	Slug                 string
	Demo                 bool
	StripeSubscriptionID string
	OwnerEmail           string
	OwnerVerifiedAt      *time.Time
	OwnerCreatedAt       *time.Time
	// ReferredLive counts the stores, not deleted, this business referred.
	ReferredLive int64
}

// CleanupQuery selects the businesses that may be junk: Demo-flagged ones
// and those whose owner's email ends with one of EmailDomains (both only
// when TestData), and those whose owner never verified their email and
// signed up before UnverifiedBefore (when not nil). A non-zero BusinessID
// narrows it to that business.
type CleanupQuery struct {
	BusinessID       int64
	TestData         bool
	EmailDomains     []string
	UnverifiedBefore *time.Time
}

// CleanupCounts are the rows of one business the cleanup removes (or
// would); Other counts every other row, the business's own included.
type CleanupCounts struct {
	Users, Categories, Products, Images, Orders, Reviews, Other int64
}
