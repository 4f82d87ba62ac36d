package services

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
)

// BillingStripe is what Billing needs of the Stripe client.
type BillingStripe interface {
	CreateCustomer(ctx context.Context, r domain.CustomerRequest) (string, error)
	CheckoutSession(ctx context.Context, r domain.CheckoutRequest) (string, error)
	ReferralCoupon(ctx context.Context, r domain.CouponRequest) (string, error)
	PortalSession(ctx context.Context, customerID, returnURL string) (string, error)
}

// BillingRepo is what Billing needs of the subscriptions repository.
type BillingRepo interface {
	Business(ctx context.Context, businessID int64) (*domain.Business, error)
	SaveBilling(ctx context.Context, businessID int64, b domain.Billing) error
	Invoices(ctx context.Context, businessID int64, limit int) ([]domain.Invoice, error)
	PaidInvoices(ctx context.Context, businessID int64) (int64, error)
	History(ctx context.Context, businessID int64) ([]domain.SubscriptionChange, error)
}

// BillingReferralRepo finds the referral that brought a business.
type BillingReferralRepo interface {
	OfReferred(ctx context.Context, referredID int64) (*domain.Referral, error)
}

// Billing is the owner's side of the subscription: subscribing through
// Stripe Checkout (one Stripe customer per business, the referred
// business's discount), the customer portal and the billing page's
// overview. Status changes come from Stripe's webhooks (Subscriptions).
type Billing struct {
	stripe     BillingStripe
	repo       BillingRepo
	owners     OwnerRepo
	referrals  BillingReferralRepo
	tx         Transactor
	translator Translator
	rules      func() domain.BillingRules
	clock      Clock
	baseURL    string
	priceID    string
	priceCents domain.Money
	rewardPct  func() int
}

// BillingDeps groups what NewBilling needs.
type BillingDeps struct {
	// Stripe is nil when no STRIPE_SECRET_KEY is configured: subscribing
	// and the portal are then domain.ErrPaymentsOff.
	Stripe     BillingStripe
	Repo       BillingRepo
	Owners     OwnerRepo
	Referrals  BillingReferralRepo
	Tx         Transactor
	Translator Translator
	// Rules are the trial and grace lengths in force, read at each use (the
	// platform settings); nil: domain.DefaultBillingRules.
	Rules   func() domain.BillingRules
	Clock   Clock
	BaseURL string
	// PriceID is the plan's Stripe price (STRIPE_PRICE_ID), PriceCents what
	// it charges a month.
	PriceID    string
	PriceCents domain.Money
	// RewardPercent is the referred business's discount on its first
	// invoice, read at each use (the platform settings); nil or 0 gives none.
	RewardPercent func() int
}

// NewBilling returns the billing service.
func NewBilling(d BillingDeps) *Billing {
	s := &Billing{
		stripe: d.Stripe, repo: d.Repo, owners: d.Owners, referrals: d.Referrals, tx: d.Tx,
		translator: d.Translator, rules: d.Rules, clock: d.Clock, baseURL: strings.TrimRight(d.BaseURL, "/"),
		priceID: d.PriceID, priceCents: d.PriceCents, rewardPct: d.RewardPercent,
	}
	if s.rules == nil {
		s.rules = func() domain.BillingRules { return domain.DefaultBillingRules }
	}
	if s.rewardPct == nil {
		s.rewardPct = func() int { return 0 }
	}
	if s.clock == nil {
		s.clock = func() time.Time { return time.Now().UTC() }
	}
	return s
}

// billingRules are the trial and grace lengths in force.
func (s *Billing) billingRules() domain.BillingRules { return s.rules() }

// rewardPercent is the referred business's discount in force.
func (s *Billing) rewardPercent() int { return s.rewardPct() }

// BillingPath is the billing page, where Checkout and the portal return.
const BillingPath = "/dashboard/billing"

// PaymentsOn reports whether Stripe is configured.
func (s *Billing) PaymentsOn() bool { return s.stripe != nil && s.priceID != "" }

// Subscribe returns the Stripe Checkout URL where businessID's owner
// subscribes, in lang ("es" or "en"). The business's Stripe customer is
// created the first time and reused after; a business referred by another
// gets its discount on its first subscription. An active or past_due
// business is domain.ErrAlreadySubscribed (it manages its subscription in
// the portal).
func (s *Billing) Subscribe(ctx context.Context, businessID int64, lang string) (string, error) {
	if !s.PaymentsOn() {
		return "", domain.ErrPaymentsOff
	}
	biz, err := s.repo.Business(ctx, businessID)
	if err != nil {
		return "", err
	}
	if subscribed(biz.SubscriptionStatus) {
		return "", domain.ErrAlreadySubscribed
	}
	customer, err := s.customer(ctx, biz)
	if err != nil {
		return "", err
	}
	coupon, err := s.referredCoupon(ctx, biz, lang)
	if err != nil {
		return "", err
	}
	return s.stripe.CheckoutSession(ctx, domain.CheckoutRequest{
		BusinessID: biz.ID, CustomerID: customer, PriceID: s.priceID, Lang: lang, CouponID: coupon,
		SuccessURL: s.baseURL + BillingPath + "?checkout=success",
		CancelURL:  s.baseURL + BillingPath + "?checkout=cancelled",
	})
}

// subscribed reports whether st has a live Stripe subscription.
func subscribed(st domain.SubscriptionStatus) bool {
	return st == domain.SubscriptionActive || st == domain.SubscriptionPastDue
}

// customer returns biz's Stripe customer, creating it the first time. Two
// concurrent first clicks both ask Stripe with the same idempotency key
// (so Stripe creates one customer) and the first to lock the row saves it;
// the other uses the saved one.
func (s *Billing) customer(ctx context.Context, biz *domain.Business) (string, error) {
	if biz.StripeCustomerID != "" {
		return biz.StripeCustomerID, nil
	}
	owner, err := s.owners.Owner(ctx, biz.ID)
	if err != nil {
		return "", fmt.Errorf("load owner of business %d: %w", biz.ID, err)
	}
	created, err := s.stripe.CreateCustomer(ctx, domain.CustomerRequest{
		BusinessID: biz.ID, Email: owner.Email, Name: biz.Name,
		IdempotencyKey: idempotencyKey("customer", biz),
	})
	if err != nil {
		return "", err
	}
	customer := created
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		locked, err := s.repo.Business(ctx, biz.ID)
		if err != nil {
			return err
		}
		if locked.StripeCustomerID != "" {
			customer = locked.StripeCustomerID
			return nil
		}
		locked.StripeCustomerID = created
		return s.repo.SaveBilling(ctx, biz.ID, locked.Billing)
	})
	if err != nil {
		return "", fmt.Errorf("save stripe customer of business %d: %w", biz.ID, err)
	}
	return customer, nil
}

// idempotencyKey is the key of a Stripe request of kind for biz: the same
// for every click of one business, different for a business of another
// database that reused its ID.
func idempotencyKey(kind string, biz *domain.Business, parts ...any) string {
	key := fmt.Sprintf("qubly-%s-%d-%d", kind, biz.ID, biz.CreatedAt.Unix())
	for _, p := range parts {
		key += fmt.Sprintf("-%v", p)
	}
	return key
}

// referredCoupon returns the coupon of a business referred by another that
// has not paid an invoice yet, or "" when it gets no discount.
func (s *Billing) referredCoupon(ctx context.Context, biz *domain.Business, lang string) (string, error) {
	pct := s.rewardPercent()
	if pct <= 0 {
		return "", nil
	}
	ref, err := s.referrals.OfReferred(ctx, biz.ID)
	if errors.Is(err, domain.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("load referral of business %d: %w", biz.ID, err)
	}
	if ref.Status != domain.ReferralPending {
		return "", nil
	}
	paid, err := s.repo.PaidInvoices(ctx, biz.ID)
	if err != nil || paid > 0 {
		return "", err
	}
	name := s.translator.Translate(lang, "billing.coupon_name", map[string]any{"Percent": pct})
	return s.stripe.ReferralCoupon(ctx, domain.CouponRequest{
		BusinessID: biz.ID, PercentOff: pct, Name: name,
		IdempotencyKey: idempotencyKey("referral-coupon", biz, pct, lang),
	})
}

// Portal returns the URL of the Stripe customer portal of businessID, which
// leads back to the billing page. A business that never went to Checkout
// is domain.ErrNoCustomer.
func (s *Billing) Portal(ctx context.Context, businessID int64) (string, error) {
	if s.stripe == nil {
		return "", domain.ErrPaymentsOff
	}
	biz, err := s.repo.Business(ctx, businessID)
	if err != nil {
		return "", err
	}
	if biz.StripeCustomerID == "" {
		return "", domain.ErrNoCustomer
	}
	return s.stripe.PortalSession(ctx, biz.StripeCustomerID, s.baseURL+BillingPath)
}
