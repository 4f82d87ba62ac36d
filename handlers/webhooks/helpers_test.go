package webhooks_test

// Builders of Stripe events shaped like API version 2023-10-16 sends them
// (only the fields billing reads, and a few around them), and a poster that
// signs them with the test app's webhook secret.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// The event builders live in testkit (the browser test posts them too).
type stripeEvent = testkit.StripeEvent

var (
	newEvent          = testkit.NewStripeEvent
	newEventVersion   = testkit.NewStripeEventVersion
	checkoutCompleted = testkit.CheckoutCompleted
	subscriptionEvent = testkit.SubscriptionEvent
	invoiceEvent      = testkit.InvoiceEvent
)

// deliverRaw posts body with the Stripe-Signature header sig.
func deliverRaw(a *testkit.App, body []byte, sig string) (int, string, error) {
	req, _ := http.NewRequest("POST", testkit.BaseURL+"/webhooks/stripe", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
	if sig != "" {
		req.Header.Set("Stripe-Signature", sig)
	}
	resp, err := a.Fiber.Test(req, -1)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

// deliver posts e signed now (the real clock: the signature's tolerance is
// checked against it) and returns the status.
func deliver(t testing.TB, a *testkit.App, e stripeEvent) int {
	t.Helper()
	code, body, err := deliverRaw(a, e.Body, testkit.SignStripe(e.Body, testkit.StripeWebhookSecret, time.Now()))
	if err != nil {
		t.Fatalf("deliver %s: %v", e.Type, err)
	}
	if code == 200 && body != `{"received":true}` {
		t.Fatalf("deliver %s: body %s", e.Type, body)
	}
	return code
}

// mustDeliver delivers e and fails unless it was answered 200.
func mustDeliver(t testing.TB, a *testkit.App, e stripeEvent) {
	t.Helper()
	if code := deliver(t, a, e); code != 200 {
		t.Fatalf("deliver %s %s: status %d", e.Type, e.ID, code)
	}
}

// billing is what the tests compare of a business's subscription.
type billing struct {
	Status     domain.SubscriptionStatus
	Customer   string
	Sub        string
	PeriodEnd  *time.Time
	PastDue    bool
	History    []string
	Invoices   []string
	Applied    int64
	EmailKinds []string
}

// stateOf reads biz's subscription, history (from→to, oldest first),
// invoices (id:status), applied events and billing emails.
func stateOf(t testing.TB, a *testkit.App, bizID int64, owner string) billing {
	t.Helper()
	ctx := context.Background()
	biz, err := a.Repos.Subscriptions.Business(ctx, bizID)
	if err != nil {
		t.Fatal(err)
	}
	s := billing{Status: biz.SubscriptionStatus, Customer: biz.StripeCustomerID, Sub: biz.StripeSubscriptionID,
		PeriodEnd: biz.CurrentPeriodEnd, PastDue: biz.PastDueSince != nil}
	hist, err := a.Repos.Subscriptions.History(ctx, bizID)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(hist) - 1; i >= 0; i-- {
		s.History = append(s.History, string(hist[i].From)+">"+string(hist[i].To))
	}
	invs, err := a.Repos.Subscriptions.Invoices(ctx, bizID, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invs {
		s.Invoices = append(s.Invoices, fmt.Sprintf("%s:%s:%d", inv.StripeInvoiceID, inv.Status, inv.AmountCents))
	}
	if err := a.DB.Model(&domain.StripeEvent{}).Where("business_id = ?", bizID).Count(&s.Applied).Error; err != nil {
		t.Fatal(err)
	}
	for _, e := range a.Emails(owner) {
		switch e.Template {
		case "payment_failed", "payment_recovered", "subscription_cancelled", "trial_ended":
			s.EmailKinds = append(s.EmailKinds, e.Template)
		}
	}
	return s
}

// shop is a store in trial with its owner and a distinct WhatsApp number
// (testkit's owners all share one, which would make every referral a
// self-referral), and the Stripe customer Checkout would have created.
type shop struct {
	ID       int64
	Slug     string
	Email    string
	Customer string
	Sub      string
	Code     string
}

var phoneSeq atomic.Int64

// newShop signs up an owner with a store at slug, referred by code when
// it is not empty.
func newShop(t testing.TB, a *testkit.App, slug, code string) *shop {
	t.Helper()
	ctx := context.Background()
	res, err := a.Accounts.Signup(ctx, servicesSignup(slug, code, fmt.Sprintf("55 %04d %04d", 2000+phoneSeq.Add(1)%8000, 1000)))
	if err != nil || !res.Created {
		t.Fatalf("sign up %s: %v", slug, err)
	}
	biz, err := a.Repos.Businesses.Get(ctx, *res.User.BusinessID)
	if err != nil {
		t.Fatal(err)
	}
	s := &shop{ID: biz.ID, Slug: slug, Email: slug + "@example.com", Customer: "cus_" + slug, Sub: "sub_" + slug, Code: biz.ReferralCode}
	// Billing's Checkout stores the customer before sending the owner to Stripe.
	if err := a.DB.Model(&domain.Business{}).Where("id = ?", biz.ID).Update("stripe_customer_id", s.Customer).Error; err != nil {
		t.Fatal(err)
	}
	return s
}

func servicesSignup(slug, code, whatsapp string) services.SignupInput {
	return services.SignupInput{
		OwnerName: "Owner " + slug, Email: slug + "@example.com", Password: "secret-" + slug,
		BusinessName: "Store " + slug, Slug: slug, WhatsApp: whatsapp, ReferralCode: code, Lang: "es",
	}
}
