package stripe

import (
	"context"
	"fmt"
	"strconv"

	stripego "github.com/stripe/stripe-go/v76"

	"github.com/qubly/qubly/domain"
)

// metaBusinessID is the metadata key every object Qubly creates carries.
const metaBusinessID = "business_id"

// CreateCustomer creates the Stripe customer of a business and returns its
// ID. Requests with the same IdempotencyKey (a double click) get the same
// customer for 24 hours.
func (c *Client) CreateCustomer(ctx context.Context, r domain.CustomerRequest) (string, error) {
	p := &stripego.CustomerParams{
		Email: stripego.String(r.Email),
		Name:  stripego.String(r.Name),
	}
	p.Context = ctx
	p.AddMetadata(metaBusinessID, strconv.FormatInt(r.BusinessID, 10))
	if r.IdempotencyKey != "" {
		p.SetIdempotencyKey(r.IdempotencyKey)
	}
	cus, err := c.api.Customers.New(p)
	if err != nil {
		return "", fmt.Errorf("stripe: create customer of business %d: %w", r.BusinessID, err)
	}
	return cus.ID, nil
}

// checkoutLocale is Checkout's locale for the owner's language: Latin
// American Spanish, or English.
func checkoutLocale(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "es-419"
}

// CheckoutSession creates a Checkout session in subscription mode for one
// unit of the plan's price and returns the URL to send the owner to. The
// business is the session's client_reference_id and is in the metadata of
// the session and of the subscription it creates.
func (c *Client) CheckoutSession(ctx context.Context, r domain.CheckoutRequest) (string, error) {
	biz := strconv.FormatInt(r.BusinessID, 10)
	p := &stripego.CheckoutSessionParams{
		Mode:              stripego.String(string(stripego.CheckoutSessionModeSubscription)),
		Customer:          stripego.String(r.CustomerID),
		ClientReferenceID: stripego.String(biz),
		SuccessURL:        stripego.String(r.SuccessURL),
		CancelURL:         stripego.String(r.CancelURL),
		Locale:            stripego.String(checkoutLocale(r.Lang)),
		LineItems: []*stripego.CheckoutSessionLineItemParams{
			{Price: stripego.String(r.PriceID), Quantity: stripego.Int64(1)},
		},
		SubscriptionData: &stripego.CheckoutSessionSubscriptionDataParams{
			Metadata: map[string]string{metaBusinessID: biz},
		},
	}
	p.Context = ctx
	p.AddMetadata(metaBusinessID, biz)
	if r.CouponID != "" {
		p.Discounts = []*stripego.CheckoutSessionDiscountParams{{Coupon: stripego.String(r.CouponID)}}
	} else {
		p.AllowPromotionCodes = stripego.Bool(true)
	}
	s, err := c.api.CheckoutSessions.New(p)
	if err != nil {
		return "", fmt.Errorf("stripe: create checkout session of business %d: %w", r.BusinessID, err)
	}
	return s.URL, nil
}

// ReferralCoupon creates a coupon of r.PercentOff % off one invoice, which
// can be redeemed once, and returns its ID.
func (c *Client) ReferralCoupon(ctx context.Context, r domain.CouponRequest) (string, error) {
	p := &stripego.CouponParams{
		PercentOff:     stripego.Float64(float64(r.PercentOff)),
		Duration:       stripego.String(string(stripego.CouponDurationOnce)),
		MaxRedemptions: stripego.Int64(1),
		Name:           stripego.String(r.Name),
	}
	p.Context = ctx
	p.AddMetadata(metaBusinessID, strconv.FormatInt(r.BusinessID, 10))
	if r.IdempotencyKey != "" {
		p.SetIdempotencyKey(r.IdempotencyKey)
	}
	cp, err := c.api.Coupons.New(p)
	if err != nil {
		return "", fmt.Errorf("stripe: create coupon of business %d: %w", r.BusinessID, err)
	}
	return cp.ID, nil
}
