package services_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// fakeStripe answers like Stripe but gives every customer request a new
// ID, idempotency key or not: what Billing saves must still be one.
type fakeStripe struct {
	mu        sync.Mutex
	customers []domain.CustomerRequest
	checkouts []domain.CheckoutRequest
	coupons   []domain.CouponRequest
	portals   []string
}

func (f *fakeStripe) CreateCustomer(_ context.Context, r domain.CustomerRequest) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.customers = append(f.customers, r)
	return fmt.Sprintf("cus_%d", len(f.customers)), nil
}

func (f *fakeStripe) CheckoutSession(_ context.Context, r domain.CheckoutRequest) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.checkouts = append(f.checkouts, r)
	return "https://checkout.stripe.com/c/pay/cs_test", nil
}

func (f *fakeStripe) ReferralCoupon(_ context.Context, r domain.CouponRequest) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.coupons = append(f.coupons, r)
	return "co_referral", nil
}

func (f *fakeStripe) PortalSession(_ context.Context, customerID, _ string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.portals = append(f.portals, customerID)
	return "https://billing.stripe.com/p/session/test", nil
}

type billingFixture struct {
	db     *testkit.TestDB
	repos  *repositories.Set
	stripe *fakeStripe
	svc    *services.Billing
}

func newBillingFixture(t *testing.T, withStripe bool) *billingFixture {
	db := testkit.NewDB(t)
	f := &billingFixture{db: db, repos: repositories.NewSet(db.DB), stripe: &fakeStripe{}}
	d := services.BillingDeps{
		Repo: f.repos.Subscriptions, Owners: f.repos.Users, Referrals: f.repos.Referrals,
		Tx: repositories.NewTransactor(db.DB), Translator: translatorFunc(func(lang, id string, _ map[string]any) string { return lang + ":" + id }),
		BaseURL: "http://qubly.test/", PriceID: "price_249", PriceCents: 24900, RewardPercent: func() int { return 50 },
	}
	if withStripe {
		d.Stripe = f.stripe
	}
	f.svc = services.NewBilling(d)
	return f
}

type translatorFunc func(lang, id string, data map[string]any) string

func (f translatorFunc) Translate(lang, id string, data map[string]any) string {
	return f(lang, id, data)
}

// shop inserts a business with an owner.
func (f *billingFixture) shop(t *testing.T, slug string) *domain.Business {
	t.Helper()
	b := f.db.Business(t, "Tienda "+slug, slug)
	u := &domain.User{Email: slug + "@example.com", Name: "Dueña " + slug, Role: domain.RoleOwner, BusinessID: &b.ID, Locale: "es"}
	if err := f.db.Create(u).Error; err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSubscribeSavesOneCustomerForConcurrentClicks(t *testing.T) {
	f := newBillingFixture(t, true)
	biz := f.shop(t, "tacos")
	ctx := context.Background()
	const clicks = 4
	var wg sync.WaitGroup
	errs := make(chan error, clicks)
	for range clicks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.Subscribe(ctx, biz.ID, "es")
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	saved, err := f.repos.Subscriptions.Business(ctx, biz.ID)
	if err != nil || saved.StripeCustomerID == "" {
		t.Fatalf("saved customer %q, %v", saved.StripeCustomerID, err)
	}
	keys := map[string]bool{}
	for _, c := range f.stripe.customers {
		keys[c.IdempotencyKey] = true
		if c.Email != "tacos@example.com" || c.BusinessID != biz.ID {
			t.Errorf("customer request %+v", c)
		}
	}
	// Stripe creates one customer for one idempotency key.
	if len(keys) != 1 {
		t.Errorf("customer requests used %d idempotency keys, want 1: %v", len(keys), keys)
	}
	if len(f.stripe.checkouts) != clicks {
		t.Fatalf("%d checkout sessions, want %d", len(f.stripe.checkouts), clicks)
	}
	for _, co := range f.stripe.checkouts {
		if co.CustomerID != saved.StripeCustomerID {
			t.Errorf("a checkout used customer %s, the business has %s", co.CustomerID, saved.StripeCustomerID)
		}
	}
	// Later clicks reuse it without asking Stripe.
	asked := len(f.stripe.customers)
	if _, err := f.svc.Subscribe(ctx, biz.ID, "en"); err != nil {
		t.Fatal(err)
	}
	if len(f.stripe.customers) != asked {
		t.Errorf("a click after the customer was saved created another")
	}
	last := f.stripe.checkouts[len(f.stripe.checkouts)-1]
	if last.Lang != "en" || last.PriceID != "price_249" || last.SuccessURL != "http://qubly.test/dashboard/billing?checkout=success" ||
		last.CancelURL != "http://qubly.test/dashboard/billing?checkout=cancelled" || last.BusinessID != biz.ID {
		t.Errorf("checkout request %+v", last)
	}
}

func TestSubscribeGivesTheReferredItsCouponOnce(t *testing.T) {
	f := newBillingFixture(t, true)
	ctx := context.Background()
	referrer, referred, other := f.shop(t, "madrina"), f.shop(t, "ahijada"), f.shop(t, "sola")
	if err := f.repos.Referrals.Create(ctx, &domain.Referral{ReferrerID: referrer.ID, ReferredID: referred.ID, Status: domain.ReferralPending}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Subscribe(ctx, other.ID, "es"); err != nil {
		t.Fatal(err)
	}
	if len(f.stripe.coupons) != 0 || f.stripe.checkouts[0].CouponID != "" {
		t.Fatalf("a business nobody referred got a coupon: %+v", f.stripe.coupons)
	}
	if _, err := f.svc.Subscribe(ctx, referred.ID, "es"); err != nil {
		t.Fatal(err)
	}
	if len(f.stripe.coupons) != 1 || f.stripe.checkouts[1].CouponID != "co_referral" {
		t.Fatalf("the referred business's checkout: coupons %+v, checkout %+v", f.stripe.coupons, f.stripe.checkouts[1])
	}
	if c := f.stripe.coupons[0]; c.PercentOff != 50 || c.BusinessID != referred.ID || c.Name != "es:billing.coupon_name" || c.IdempotencyKey == "" {
		t.Errorf("coupon request %+v", c)
	}
	// Once it paid an invoice, a later subscription has no discount.
	inv := &domain.Invoice{BusinessID: referred.ID, StripeInvoiceID: "in_1", AmountCents: 12450, Currency: "mxn", Status: domain.InvoicePaid}
	if err := f.repos.Subscriptions.SaveInvoice(ctx, inv); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Subscribe(ctx, referred.ID, "es"); err != nil {
		t.Fatal(err)
	}
	if len(f.stripe.coupons) != 1 || f.stripe.checkouts[2].CouponID != "" {
		t.Errorf("a referred business that paid got another coupon")
	}
}

func TestSubscribeAndPortalRefusals(t *testing.T) {
	ctx := context.Background()
	off := newBillingFixture(t, false)
	biz := off.shop(t, "sin-pagos")
	if _, err := off.svc.Subscribe(ctx, biz.ID, "es"); !errors.Is(err, domain.ErrPaymentsOff) {
		t.Errorf("Subscribe without Stripe: %v", err)
	}
	if _, err := off.svc.Portal(ctx, biz.ID); !errors.Is(err, domain.ErrPaymentsOff) {
		t.Errorf("Portal without Stripe: %v", err)
	}

	f := newBillingFixture(t, true)
	biz = f.shop(t, "tienda")
	if _, err := f.svc.Portal(ctx, biz.ID); !errors.Is(err, domain.ErrNoCustomer) {
		t.Errorf("Portal before any customer: %v", err)
	}
	for _, st := range []domain.SubscriptionStatus{domain.SubscriptionActive, domain.SubscriptionPastDue} {
		b := domain.Billing{SubscriptionStatus: st, StripeCustomerID: "cus_paid"}
		if err := f.repos.Subscriptions.SaveBilling(ctx, biz.ID, b); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Subscribe(ctx, biz.ID, "es"); !errors.Is(err, domain.ErrAlreadySubscribed) {
			t.Errorf("Subscribe when %s: %v", st, err)
		}
	}
	if url, err := f.svc.Portal(ctx, biz.ID); err != nil || url == "" || f.stripe.portals[0] != "cus_paid" {
		t.Errorf("Portal = %q, %v (customers %v)", url, err, f.stripe.portals)
	}
	if len(f.stripe.customers)+len(f.stripe.checkouts) != 0 {
		t.Errorf("refused subscriptions reached Stripe")
	}
}
