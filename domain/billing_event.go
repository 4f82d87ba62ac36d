package domain

import "time"

// Types of the Stripe events billing handles; any other is ignored.
const (
	EventCheckoutCompleted   = "checkout.session.completed"
	EventSubscriptionCreated = "customer.subscription.created"
	EventSubscriptionUpdated = "customer.subscription.updated"
	EventSubscriptionDeleted = "customer.subscription.deleted"
	EventPaymentSucceeded    = "invoice.payment_succeeded"
	EventPaymentFailed       = "invoice.payment_failed"
)

// BillingEvent is a verified Stripe event, with what billing needs of its
// object. Events of a type billing does not handle carry only ID, Type and
// Created.
type BillingEvent struct {
	ID      string
	Type    string
	Created time.Time
	// CustomerID and SubscriptionID are the Stripe customer and
	// subscription the object belongs to (empty when it has none).
	CustomerID     string
	SubscriptionID string

	// Checkout is set for checkout.session.completed.
	Checkout *CheckoutCompleted
	// Subscription is set for customer.subscription.*.
	Subscription *StripeSubscription
	// Invoice is set for invoice.payment_*.
	Invoice *StripeInvoice
}

// Handled reports whether billing acts on events of e's type.
func (e *BillingEvent) Handled() bool {
	switch e.Type {
	case EventCheckoutCompleted, EventSubscriptionCreated, EventSubscriptionUpdated,
		EventSubscriptionDeleted, EventPaymentSucceeded, EventPaymentFailed:
		return true
	}
	return false
}

// CheckoutCompleted is a finished Checkout session.
type CheckoutCompleted struct {
	// BusinessID is the session's client_reference_id, or its metadata
	// business_id; 0 when neither is a business ID.
	BusinessID int64
	// PaymentStatus is Stripe's: paid, unpaid or no_payment_required.
	PaymentStatus string
}

// CheckoutPaid is the payment status of a paid Checkout session.
const CheckoutPaid = "paid"

// StripeSubscription is a Stripe subscription as an event shows it.
type StripeSubscription struct {
	// Status is Stripe's: trialing, active, incomplete, incomplete_expired,
	// past_due, unpaid, canceled or paused.
	Status            string
	CurrentPeriodEnd  time.Time
	CancelAtPeriodEnd bool
}

// StripeInvoice is a Stripe invoice as an event shows it.
type StripeInvoice struct {
	ID     string
	Number string
	// Amount is amount_paid for a paid invoice, amount_due otherwise.
	Amount   Money
	Currency string
	// Status is Stripe's: draft, open, paid, uncollectible or void.
	Status    string
	HostedURL string
	// PeriodStart and PeriodEnd are the subscription line's period (what
	// the invoice pays for) when it has one, else the invoice's.
	PeriodStart   time.Time
	PeriodEnd     time.Time
	BillingReason string
}
