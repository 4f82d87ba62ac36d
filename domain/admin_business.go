package domain

import "time"

// Limits of the platform admin's business actions.
const (
	// TrialExtendMinDays and TrialExtendMaxDays bound one trial extension.
	TrialExtendMinDays = 1
	TrialExtendMaxDays = 90
)

// Causes of the subscription changes a platform admin makes.
const (
	// CauseTrialReopened moves a trial that expired without a payment
	// (cancelled by the trial job) back to trial with a new end.
	CauseTrialReopened = "trial_reopened"
)

// Suspended filter values of BusinessFilter.
const (
	SuspendedOnly = "yes"
	SuspendedNot  = "no"
)

// BusinessFilter narrows the platform admin's list of businesses; zero
// fields match everything.
type BusinessFilter struct {
	// Query is found in the name, the slug or the owner's email, compared
	// by Fold (case and accents ignored).
	Query string
	// Status is one subscription status, or "" for any.
	Status SubscriptionStatus
	// Suspended is SuspendedOnly, SuspendedNot or "" for both.
	Suspended string
}

// BusinessActivity is when a business last did something, by source. Nil
// is never.
type BusinessActivity struct {
	// LastOrderAt is its newest order's creation.
	LastOrderAt *time.Time
	// LastProductAt is its newest product change (deleted products too).
	LastProductAt *time.Time
	// LastStoreAt is the business row's last update: the owner's settings,
	// images, reviews moderated, and also subscription changes.
	LastStoreAt *time.Time
	// OwnerSeenAt is the owner's newest session activity (sessions.last_seen_at).
	OwnerSeenAt *time.Time
}

// Last is the latest of the activity's times, or nil.
func (a BusinessActivity) Last() *time.Time {
	var last *time.Time
	for _, t := range []*time.Time{a.LastOrderAt, a.LastProductAt, a.LastStoreAt, a.OwnerSeenAt} {
		if t != nil && !t.IsZero() && (last == nil || t.After(*last)) {
			last = t
		}
	}
	return last
}

// BusinessRow is a business as the platform admin sees it in a list.
type BusinessRow struct {
	Business   Business
	OwnerEmail string
	Activity   BusinessActivity
}
