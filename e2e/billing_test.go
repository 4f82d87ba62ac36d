package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// TestBillingPageOnPhones opens the billing page and the dashboard home in
// each subscription state, in es and en, at 390 and 360 px: nothing may be
// wider than the screen. With QUBLY_SCREENSHOTS=dir it saves screenshots there.
func TestBillingPageOnPhones(t *testing.T) {
	// Stripe is configured (the page shows its buttons); nothing is
	// clicked, so no Stripe is ever asked.
	b := newOwnerBrowserWith(t, 390, testkit.WithEnv("STRIPE_SECRET_KEY", "sk_test_123"),
		testkit.WithEnv("STRIPE_PRICE_ID", "price_249"), testkit.WithEnv("STRIPE_API_BASE", "http://127.0.0.1:9"))
	biz := b.owner.Business.ID
	now := b.srv.Clock.Now()
	inv := &domain.Invoice{BusinessID: biz, StripeInvoiceID: "in_e2e", Number: "QUBLY-0001", AmountCents: 24900, Currency: "mxn",
		Status: domain.InvoicePaid, HostedURL: "https://invoice.stripe.com/i/e2e", PeriodStart: now.AddDate(0, -1, 0), PeriodEnd: now, EventAt: now}
	if err := b.srv.DB.Create(inv).Error; err != nil {
		t.Fatal(err)
	}
	states := []struct {
		name   string
		change func(*domain.Billing)
	}{
		{"trial", func(bl *domain.Billing) {
			bl.SubscriptionStatus, bl.PastDueSince = domain.SubscriptionTrial, nil
		}},
		{"active", func(bl *domain.Billing) {
			end := now.AddDate(0, 1, 0)
			bl.SubscriptionStatus, bl.CurrentPeriodEnd, bl.StripeCustomerID = domain.SubscriptionActive, &end, "cus_e2e"
		}},
		{"past_due", func(bl *domain.Billing) {
			since := now.Add(-48 * time.Hour)
			bl.SubscriptionStatus, bl.PastDueSince = domain.SubscriptionPastDue, &since
		}},
		{"cancelled", func(bl *domain.Billing) { bl.SubscriptionStatus, bl.PastDueSince = domain.SubscriptionCancelled, nil }},
	}
	setState := func(change func(*domain.Billing)) {
		ctx := context.Background()
		cur, err := b.srv.Repos.Subscriptions.Business(ctx, biz)
		if err != nil {
			t.Fatal(err)
		}
		change(&cur.Billing)
		if err := b.srv.Repos.Subscriptions.SaveBilling(ctx, biz, cur.Billing); err != nil {
			t.Fatal(err)
		}
	}
	for _, lang := range []string{"es", "en"} {
		b.open("/dashboard/billing", `nav a.dash-tab`)
		b.run("language "+lang, chromedp.Click(fmt.Sprintf(`footer button[value="%s"]`, lang), chromedp.ByQuery))
		want := map[string]string{"es": "es-MX", "en": "en"}[lang]
		waitFor(t, "the page in "+lang, func() bool {
			var got string
			err := chromedp.Run(b.ctx, chromedp.Evaluate(`document.readyState === "complete" ? document.documentElement.lang : ""`, &got))
			return err == nil && got == want
		})
		for _, width := range []int{390, 360} {
			b.run("resize", chromedp.EmulateViewport(int64(width), 844, chromedp.EmulateMobile))
			for _, st := range states {
				setState(st.change)
				paths := []string{"/dashboard/billing", "/dashboard"}
				if st.name == "active" { // no banner
					paths = paths[:1]
				}
				for _, path := range paths {
					b.open(path, `nav a.dash-tab`)
					var wide int
					b.run("measure", chromedp.Evaluate(`document.documentElement.scrollWidth - innerWidth`, &wide))
					if wide > 0 {
						t.Errorf("%d px %s %s %s: %d px wider than the screen", width, lang, st.name, path, wide)
					}
					if dir := os.Getenv("QUBLY_SCREENSHOTS"); dir != "" {
						var png []byte
						shoot := chromedp.FullScreenshot(&png, 100)
						if path == "/dashboard" { // its banner is at the top
							shoot = chromedp.CaptureScreenshot(&png)
						}
						b.run("screenshot", shoot)
						name := fmt.Sprintf("billing-%s-%s-%s-%d.png", filepath.Base(path), st.name, lang, width)
						os.WriteFile(filepath.Join(dir, name), png, 0o644)
					}
				}
			}
		}
	}
}
