package domain

import "errors"

// Errors of the owner's side of billing; each has a message in the owner's
// language on the billing page.
var (
	// ErrPaymentsOff is returned when no Stripe key is configured.
	ErrPaymentsOff = errors.New("payments are not configured")
	// ErrAlreadySubscribed is returned when an active or past_due business
	// asks for a new subscription: it manages the one it has in the portal.
	ErrAlreadySubscribed = errors.New("already subscribed")
	// ErrNoCustomer is returned when a business that never went to Checkout
	// asks for the customer portal.
	ErrNoCustomer = errors.New("no stripe customer yet")
)

// CustomerRequest asks the payment provider for a customer of a business.
type CustomerRequest struct {
	BusinessID int64
	Email      string
	Name       string
	// IdempotencyKey makes a retried or concurrent request return the
	// customer the first one created.
	IdempotencyKey string
}

// CheckoutRequest asks for a hosted Checkout page that subscribes a
// business's customer to the plan.
type CheckoutRequest struct {
	BusinessID int64
	CustomerID string
	PriceID    string
	SuccessURL string
	CancelURL  string
	// Lang is the owner's language: "es" or "en".
	Lang string
	// CouponID, when set, discounts the first invoice (and promotion codes
	// are then not offered).
	CouponID string
}

// CouponRequest asks for a coupon one business may redeem once.
type CouponRequest struct {
	BusinessID     int64
	PercentOff     int
	Name           string
	IdempotencyKey string
}
