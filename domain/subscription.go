package domain

import "time"

// SubscriptionStatus is where a business stands with its Qubly subscription.
type SubscriptionStatus string

// Subscription statuses.
const (
	SubscriptionTrial     SubscriptionStatus = "trial"
	SubscriptionActive    SubscriptionStatus = "active"
	SubscriptionPastDue   SubscriptionStatus = "past_due"
	SubscriptionCancelled SubscriptionStatus = "cancelled"
)

// SubscriptionStatuses lists every status in display order.
var SubscriptionStatuses = []SubscriptionStatus{
	SubscriptionTrial, SubscriptionActive, SubscriptionPastDue, SubscriptionCancelled,
}

// Valid reports whether s is a known status.
func (s SubscriptionStatus) Valid() bool {
	for _, v := range SubscriptionStatuses {
		if s == v {
			return true
		}
	}
	return false
}

var subscriptionTransitions = map[SubscriptionStatus][]SubscriptionStatus{
	SubscriptionTrial:     {SubscriptionActive, SubscriptionCancelled},
	SubscriptionActive:    {SubscriptionPastDue, SubscriptionCancelled},
	SubscriptionPastDue:   {SubscriptionActive, SubscriptionCancelled},
	SubscriptionCancelled: {SubscriptionActive, SubscriptionTrial},
}

// CanTransition reports whether a subscription may go from s to next:
// trial→active, trial→cancelled, active→past_due, past_due→active,
// past_due→cancelled, active→cancelled, cancelled→active (resubscribe) and
// cancelled→trial (a platform admin reopens a trial that ended unpaid: see
// services.AdminBusinesses.ExtendTrial, the only caller asking for trial).
// Staying in the same status is not a transition.
func (s SubscriptionStatus) CanTransition(next SubscriptionStatus) bool {
	for _, v := range subscriptionTransitions[s] {
		if v == next {
			return true
		}
	}
	return false
}

// ErrBadSubscriptionTransition is a status change the machine refuses.
type ErrBadSubscriptionTransition struct{ From, To SubscriptionStatus }

func (e *ErrBadSubscriptionTransition) Error() string {
	return "subscription cannot go from " + string(e.From) + " to " + string(e.To)
}

// Causes of a subscription change, kept in its history.
const (
	CauseSignup           = "signup"
	CauseCheckout         = "checkout_completed"
	CauseSubscription     = "subscription_updated"
	CauseSubscriptionGone = "subscription_deleted"
	CausePaymentOK        = "payment_succeeded"
	CausePaymentFailed    = "payment_failed"
	CauseTrialExpired     = "trial_expired"
	CauseOwnerCancelled   = "owner_cancelled"
)

// Billing is a business's subscription: its status and what Stripe knows of
// it. It is embedded in Business (columns of the businesses table), so the
// store page knows whether it may be shown without another query.
type Billing struct {
	SubscriptionStatus SubscriptionStatus `gorm:"size:16;not null;default:trial;index"`
	// TrialEndsAt is when the free trial ends (set at sign-up).
	TrialEndsAt *time.Time
	// TrialRemindedAt is when the "trial ends soon" email was queued.
	TrialRemindedAt *time.Time
	// PastDueSince is when the last unpaid invoice failed; nil unless past_due.
	PastDueSince *time.Time
	// CurrentPeriodEnd is when the paid period ends (the next charge).
	CurrentPeriodEnd *time.Time
	// CancelAtPeriodEnd is set when the owner cancelled in Stripe's portal:
	// the subscription stays active until CurrentPeriodEnd.
	CancelAtPeriodEnd    bool   `gorm:"not null;default:false"`
	StripeCustomerID     string `gorm:"size:64;not null;default:'';index"`
	StripeSubscriptionID string `gorm:"size:64;not null;default:''"`
	// LastEventAt is the creation time of the newest Stripe event applied to
	// the subscription: an older event never rolls its state back.
	LastEventAt *time.Time
}

// BillingRules are the configurable lengths of the subscription's phases.
type BillingRules struct {
	TrialDays int
	GraceDays int
}

// DefaultBillingRules are a 14-day trial and a 7-day grace period.
var DefaultBillingRules = BillingRules{TrialDays: 14, GraceDays: 7}

// Online reports whether the business's public store may be shown at now:
// in a trial that has not ended, active, or past_due within the grace
// period. (The trial expiry job later records the end of the trial as
// cancelled and emails the owner.)
func (b *Billing) Online(now time.Time, r BillingRules) bool {
	switch b.SubscriptionStatus {
	case SubscriptionTrial:
		return b.TrialEndsAt == nil || now.Before(*b.TrialEndsAt)
	case SubscriptionActive:
		return true
	case SubscriptionPastDue:
		return b.PastDueSince == nil || now.Before(b.GraceEndsAt(r))
	}
	return false
}

// GraceEndsAt is when a past_due store goes offline; zero when not past_due.
func (b *Billing) GraceEndsAt(r BillingRules) time.Time {
	if b.PastDueSince == nil {
		return time.Time{}
	}
	return b.PastDueSince.Add(time.Duration(r.GraceDays) * 24 * time.Hour)
}

// TrialDaysLeft is the number of started days left in the trial at now (0
// once it ended).
func (b *Billing) TrialDaysLeft(now time.Time) int {
	if b.TrialEndsAt == nil || !now.Before(*b.TrialEndsAt) {
		return 0
	}
	return int((b.TrialEndsAt.Sub(now) + 24*time.Hour - 1) / (24 * time.Hour))
}

// ReadOnly reports whether the owner may only look at the dashboard (and
// resubscribe): a cancelled subscription keeps all data but changes none.
func (b *Billing) ReadOnly() bool { return b.SubscriptionStatus == SubscriptionCancelled }

// SubscriptionChange is one applied transition, kept as history.
type SubscriptionChange struct {
	ID         int64              `gorm:"primaryKey"`
	BusinessID int64              `gorm:"not null;index"`
	From       SubscriptionStatus `gorm:"column:from_status;size:16;not null"`
	To         SubscriptionStatus `gorm:"column:to_status;size:16;not null"`
	Cause      string             `gorm:"size:40;not null"`
	// StripeEventID is the event that caused it; empty for the app's own
	// changes (sign-up, trial expiry).
	StripeEventID string `gorm:"size:255;not null;default:''"`
	CreatedAt     time.Time
}

// StripeEvent records a Stripe event whose effect was applied, in the same
// transaction as the effect: its primary key makes a replay a no-op.
type StripeEvent struct {
	ID         string `gorm:"primaryKey;size:255"`
	Type       string `gorm:"size:80;not null"`
	BusinessID *int64 `gorm:"index"`
	CreatedAt  time.Time
}

// Invoice is a Stripe invoice of a business's subscription.
type Invoice struct {
	ID              int64  `gorm:"primaryKey"`
	BusinessID      int64  `gorm:"not null;index"`
	StripeInvoiceID string `gorm:"size:255;not null;uniqueIndex"`
	Number          string `gorm:"size:64;not null;default:''"`
	AmountCents     Money  `gorm:"not null"`
	Currency        string `gorm:"size:3;not null"`
	// Status is Stripe's: draft, open, paid, uncollectible or void.
	Status      string `gorm:"size:16;not null"`
	HostedURL   string `gorm:"size:500;not null;default:''"`
	PeriodStart time.Time
	PeriodEnd   time.Time
	// EventAt is the creation time of the newest event applied to it.
	EventAt   time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// InvoicePaid is Stripe's status of a paid invoice, which no later event undoes.
const InvoicePaid = "paid"
