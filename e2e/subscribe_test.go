package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// TestSubscribeThroughCheckout: an owner in trial taps "Suscribirme"; the
// app creates the customer and the Checkout session in stripe-mock and
// sends the browser to Stripe's Checkout, which a stand-in page plays (the
// browser never leaves the machine): "paying" there returns to the billing
// page. The test then posts the signed events Stripe would send, and the
// dashboard shows the subscription active.
func TestSubscribeThroughCheckout(t *testing.T) {
	mock := testkit.StripeMock(t)
	b := newOwnerBrowserWith(t, 390, testkit.WithEnv("STRIPE_SECRET_KEY", "sk_test_123"),
		testkit.WithEnv("STRIPE_PRICE_ID", "price_249"), testkit.WithEnv("STRIPE_API_BASE", mock))
	biz := b.owner.Business.ID
	success := b.srv.URL + "/dashboard/billing?checkout=success"
	checkoutPages := standInCheckout(t, b.ctx, success)

	b.open("/dashboard/billing", `form[action="/dashboard/billing/subscribe"] button`)
	// A Mexican owner reads the dashboard in Spanish.
	b.run("Spanish", chromedp.Click(`footer button[value="es"]`, chromedp.ByQuery))
	waitFor(t, "the page in Spanish", func() bool {
		var lang string
		err := chromedp.Run(b.ctx, chromedp.Evaluate(`document.readyState === "complete" ? document.documentElement.lang : ""`, &lang))
		return err == nil && lang == "es-MX"
	})
	if got := b.text(".billing-status, main"); !strings.Contains(got, "Prueba gratis") {
		t.Fatalf("billing page before subscribing does not show the trial:\n%.600s", got)
	}
	b.run("subscribe", chromedp.Click(`form[action="/dashboard/billing/subscribe"] button`, chromedp.ByQuery))
	b.run("checkout stand-in", chromedp.WaitVisible(`#pay`, chromedp.ByID))
	if n := <-checkoutPages; !strings.HasPrefix(n, "https://checkout.stripe.com/") {
		t.Fatalf("the browser went to %s, not Stripe Checkout", n)
	}
	b.run("pay", chromedp.Click(`#pay`, chromedp.ByID))
	waitFor(t, "the billing page after Checkout", func() bool {
		var href string
		return chromedp.Run(b.ctx, chromedp.Evaluate(`location.href`, &href)) == nil && href == success
	})

	// The customer the app created in Stripe is saved on the business:
	// Stripe's events about it will find the store.
	cur, err := b.srv.Repos.Subscriptions.Business(context.Background(), biz)
	if err != nil {
		t.Fatal(err)
	}
	customer := cur.StripeCustomerID
	if customer == "" || cur.SubscriptionStatus != domain.SubscriptionTrial {
		t.Fatalf("after Checkout, before the events: customer %q, status %s", customer, cur.SubscriptionStatus)
	}
	now := time.Now()
	periodEnd := now.AddDate(0, 1, 0)
	for _, e := range []testkit.StripeEvent{
		testkit.CheckoutCompleted(now, biz, customer, "sub_e2e"),
		testkit.SubscriptionEvent("created", now, customer, "sub_e2e", "active", periodEnd),
		testkit.InvoiceEvent(true, now, customer, "sub_e2e", "in_e2e", periodEnd),
	} {
		postStripeEvent(t, b.srv.URL, e)
	}

	b.open("/dashboard/billing", `nav a.dash-tab`)
	page := b.text("main")
	for _, want := range []string{"Activa", "Tu tienda está en línea", "$249.00"} {
		if !strings.Contains(page, want) {
			t.Errorf("billing page after the events lacks %q:\n%.1500s", want, page)
		}
	}
	b.open("/dashboard", `nav a.dash-tab`)
	if banner := b.text("main"); strings.Contains(banner, "días de prueba") {
		t.Errorf("the dashboard still shows the trial banner:\n%.600s", banner)
	}
}

// standInCheckout answers the browser's requests to Stripe's Checkout with
// a page whose "Pagar" link goes to success, and reports each URL asked.
func standInCheckout(t *testing.T, ctx context.Context, success string) <-chan string {
	t.Helper()
	asked := make(chan string, 4)
	page := fmt.Sprintf(`<!doctype html><html lang="es"><meta name="viewport" content="width=device-width">
<title>Checkout (stand-in)</title><h1>Qubly · $249.00 MXN al mes</h1><a id="pay" href="%s">Pagar</a></html>`, success)
	chromedp.ListenTarget(ctx, func(ev any) {
		paused, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		go func() {
			select {
			case asked <- paused.Request.URL:
			default:
			}
			err := chromedp.Run(ctx, fetch.FulfillRequest(paused.RequestID, http.StatusOK).
				WithResponseHeaders([]*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html; charset=utf-8"}}).
				WithBody(base64.StdEncoding.EncodeToString([]byte(page))))
			if err != nil && ctx.Err() == nil {
				t.Errorf("stand-in Checkout: %v", err)
			}
		}()
	})
	if err := chromedp.Run(ctx, fetch.Enable().WithPatterns([]*fetch.RequestPattern{
		{URLPattern: "https://checkout.stripe.com/*"},
	})); err != nil {
		t.Fatal(err)
	}
	return asked
}

// postStripeEvent posts e to the server's webhook, signed as Stripe would.
func postStripeEvent(t *testing.T, base string, e testkit.StripeEvent) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/webhooks/stripe", bytes.NewReader(e.Body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Stripe-Signature", testkit.SignStripe(e.Body, testkit.StripeWebhookSecret, time.Now()))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("webhook %s: status %d", e.Type, resp.StatusCode)
	}
}
