package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/testkit"
)

// billingApp is the app with Stripe configured against calls' stripe-mock.
func billingApp(t *testing.T, calls *testkit.StripeCalls) *testkit.App {
	return testkit.NewApp(t, testkit.WithEnv("STRIPE_SECRET_KEY", "sk_test_123"),
		testkit.WithEnv("STRIPE_PRICE_ID", "price_249"), testkit.WithEnv("STRIPE_API_BASE", calls.URL))
}

// setBilling changes a business's subscription columns as the webhook would.
func setBilling(t *testing.T, a *testkit.App, businessID int64, change func(b *domain.Billing)) {
	t.Helper()
	ctx := context.Background()
	biz, err := a.Repos.Subscriptions.Business(ctx, businessID)
	if err != nil {
		t.Fatal(err)
	}
	change(&biz.Billing)
	if err := a.Repos.Subscriptions.SaveBilling(ctx, businessID, biz.Billing); err != nil {
		t.Fatal(err)
	}
}

func ownerClient(t *testing.T, a *testkit.App, slug string) (*testkit.Owner, *testkit.Client) {
	o := a.CreateOwner(slug)
	c := a.Client()
	c.Login(o.Email, o.Password)
	return o, c
}

func TestSubscribeCreatesTheCustomerOnceAndReusesIt(t *testing.T) {
	calls := testkit.NewStripeCalls(t)
	a := billingApp(t, calls)
	o, c := ownerClient(t, a, "tacos-lupe")
	c.Get("/dashboard/billing")
	for click := 1; click <= 2; click++ {
		r := c.PostForm("/dashboard/billing/subscribe", nil)
		if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "https://checkout.stripe.com/") {
			t.Fatalf("click %d: status %d, Location %q\n%.300s", click, r.StatusCode, loc, r.Body)
		}
	}
	customers := calls.To("POST", "/v1/customers")
	if len(customers) != 1 {
		t.Fatalf("%d customers created for two clicks, want 1", len(customers))
	}
	if f := customers[0].Form; f.Get("email") != o.Email || f.Get("metadata[business_id]") != itoa(o.Business.ID) || customers[0].IdempotencyKey == "" {
		t.Errorf("customer sent as %v (key %q)", f, customers[0].IdempotencyKey)
	}
	biz, err := a.Repos.Subscriptions.Business(context.Background(), o.Business.ID)
	if err != nil || !strings.HasPrefix(biz.StripeCustomerID, "cus_") {
		t.Fatalf("saved customer %q, %v", biz.StripeCustomerID, err)
	}
	sessions := calls.To("POST", "/v1/checkout/sessions")
	if len(sessions) != 2 {
		t.Fatalf("%d checkout sessions", len(sessions))
	}
	for _, s := range sessions {
		f := s.Form
		if f.Get("customer") != biz.StripeCustomerID || f.Get("client_reference_id") != itoa(o.Business.ID) ||
			f.Get("mode") != "subscription" || f.Get("line_items[0][price]") != "price_249" || f.Get("locale") != "es-419" ||
			f.Get("success_url") != testkit.BaseURL+"/dashboard/billing?checkout=success" || f.Get("discounts[0][coupon]") != "" {
			t.Errorf("checkout session sent as %v", f)
		}
	}
	if n := len(calls.To("POST", "/v1/coupons")); n != 0 {
		t.Errorf("%d coupons for a business nobody referred", n)
	}
}

func TestSubscribeGivesAReferredBusinessItsCoupon(t *testing.T) {
	calls := testkit.NewStripeCalls(t)
	a := billingApp(t, calls)
	referrer := a.CreateOwner("madrina")
	o, c := ownerClient(t, a, "ahijada")
	ref := &domain.Referral{ReferrerID: referrer.Business.ID, ReferredID: o.Business.ID, Status: domain.ReferralPending}
	if err := a.Repos.Referrals.Create(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	c.PostForm("/lang", url.Values{"lang": {"en"}, "next": {"/dashboard/billing"}})
	if r := c.PostForm("/dashboard/billing/subscribe", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("subscribe: %d", r.StatusCode)
	}
	coupons := calls.To("POST", "/v1/coupons")
	if len(coupons) != 1 {
		t.Fatalf("%d coupons for the referred business, want 1", len(coupons))
	}
	if f := coupons[0].Form; f.Get("duration") != "once" || f.Get("max_redemptions") != "1" || !strings.HasPrefix(f.Get("percent_off"), "50") ||
		f.Get("name") != "Referral discount (50%)" {
		t.Errorf("coupon sent as %v", f)
	}
	s := calls.To("POST", "/v1/checkout/sessions")
	if len(s) != 1 || s[0].Form.Get("discounts[0][coupon]") == "" || s[0].Form.Get("allow_promotion_codes") != "" || s[0].Form.Get("locale") != "en" {
		t.Errorf("the referred business's checkout: %v", s)
	}
}

func TestSubscribedOwnersGoToThePortal(t *testing.T) {
	calls := testkit.NewStripeCalls(t)
	a := billingApp(t, calls)
	o, c := ownerClient(t, a, "al-dia")
	// No customer yet: the portal says why it cannot open.
	if r := c.PostForm("/dashboard/billing/portal", nil); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/dashboard/billing" {
		t.Fatalf("portal without a customer: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.Get("/dashboard/billing"); !strings.Contains(r.Body, "Aún no tienes una forma de pago registrada") {
		t.Errorf("no-customer notice missing\n%.2000s", r.Body)
	}
	setBilling(t, a, o.Business.ID, func(b *domain.Billing) {
		b.SubscriptionStatus, b.StripeCustomerID = domain.SubscriptionActive, "cus_paid"
	})
	for _, path := range []string{"/dashboard/billing/portal", "/dashboard/billing/subscribe"} {
		r := c.PostForm(path, nil)
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "https://") {
			t.Errorf("%s when active: %d %q", path, r.StatusCode, r.Header.Get("Location"))
		}
	}
	portals := calls.To("POST", "/v1/billing_portal/sessions")
	if len(portals) != 2 || portals[0].Form.Get("customer") != "cus_paid" || portals[0].Form.Get("return_url") != testkit.BaseURL+"/dashboard/billing" {
		t.Errorf("portal sessions %v", portals)
	}
	if n := len(calls.To("POST", "/v1/checkout/sessions")) + len(calls.To("POST", "/v1/customers")); n != 0 {
		t.Errorf("an active subscription went to Checkout again (%d calls)", n)
	}
}

func TestBillingWithoutStripeSaysPaymentsAreOff(t *testing.T) {
	a := testkit.NewApp(t)
	_, c := ownerClient(t, a, "sin-stripe")
	if r := c.Get("/dashboard/billing"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Los pagos no están configurados") {
		t.Fatalf("billing page: %d\n%.2000s", r.StatusCode, r.Body)
	}
	for _, path := range []string{"/dashboard/billing/subscribe", "/dashboard/billing/portal"} {
		r := c.PostForm(path, nil)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/dashboard/billing" {
			t.Fatalf("%s: %d %q", path, r.StatusCode, r.Header.Get("Location"))
		}
		if r := c.Get("/dashboard/billing"); !strings.Contains(r.Body, "Los pagos no están configurados. Intenta más tarde.") {
			t.Errorf("%s: no notice", path)
		}
	}
}

func TestCheckoutReturnNotices(t *testing.T) {
	a := testkit.NewApp(t)
	_, c := ownerClient(t, a, "regreso")
	if r := c.Get("/dashboard/billing?checkout=success"); !strings.Contains(r.Body, "Estamos confirmando tu pago") {
		t.Errorf("success return: no notice")
	}
	if r := c.Get("/dashboard/billing?checkout=cancelled"); !strings.Contains(r.Body, "No se completó el pago") {
		t.Errorf("cancelled return: no notice")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// date is how the billing page writes t for the store's owner.
func date(t time.Time, lang string) string {
	loc, _ := time.LoadLocation(domain.DefaultTimeZone)
	return web.Date(t.In(loc), lang)
}

func TestStripeDownIsAFlashNotAnError(t *testing.T) {
	// Nothing listens on the discard port: every Stripe call fails.
	a := testkit.NewApp(t, testkit.WithEnv("STRIPE_SECRET_KEY", "sk_test_123"),
		testkit.WithEnv("STRIPE_PRICE_ID", "price_249"), testkit.WithEnv("STRIPE_API_BASE", "http://127.0.0.1:9"))
	o, c := ownerClient(t, a, "sin-red")
	r := c.PostForm("/dashboard/billing/subscribe", nil)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/dashboard/billing" {
		t.Fatalf("subscribe with Stripe down: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.Get("/dashboard/billing"); !strings.Contains(r.Body, "No pudimos conectar con Stripe") {
		t.Errorf("no notice after a failed Stripe call")
	}
	if biz, _ := a.Repos.Subscriptions.Business(context.Background(), o.Business.ID); biz.StripeCustomerID != "" {
		t.Errorf("a failed call saved customer %q", biz.StripeCustomerID)
	}
}

func TestBillingFormsMayRedirectToStripe(t *testing.T) {
	a := testkit.NewApp(t)
	_, c := ownerClient(t, a, "csp")
	// Browsers hold a form's redirect to the page's form-action: the billing
	// page and the banner's resubscribe button post, then go to Stripe.
	for _, path := range []string{"/dashboard/billing", "/dashboard/products"} {
		csp := c.Get(path).Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "form-action 'self' https://checkout.stripe.com https://billing.stripe.com") {
			t.Errorf("%s: CSP %q", path, csp)
		}
	}
}
