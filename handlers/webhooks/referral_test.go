package webhooks_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// referralOf is the referral that brought s.
func referralOf(t *testing.T, a *testkit.App, s *shop) *domain.Referral {
	t.Helper()
	ref, err := a.Repos.Referrals.OfReferred(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func wantReferral(t *testing.T, a *testkit.App, s *shop, status domain.ReferralStatus, reason string) {
	t.Helper()
	ref := referralOf(t, a, s)
	if ref.Status != status || ref.FailReason != reason || (status != domain.ReferralPending) != (ref.DecidedAt != nil) {
		t.Fatalf("referral of %s: %s %q decided %v, want %s %q", s.Slug, ref.Status, ref.FailReason, ref.DecidedAt != nil, status, reason)
	}
}

// TestReferralDecidedOnFirstPaidInvoice: the referral stays pending through
// Checkout and becomes successful when the first invoice is paid, once.
func TestReferralDecidedOnFirstPaidInvoice(t *testing.T) {
	a := testkit.NewApp(t)
	referrer := newShop(t, a, "madrina", "")
	s := newShop(t, a, "ahijada", referrer.Code)
	now := a.Clock.Now()
	es := activation(s, now)
	deliverAll(t, a, es[:2])
	wantReferral(t, a, s, domain.ReferralPending, "")
	deliverConcurrently(t, a, es[2], 5)
	wantReferral(t, a, s, domain.ReferralSuccessful, "")
	decided := referralOf(t, a, s).UpdatedAt
	deliverAll(t, a, renewalFailsThenPays(s, now.AddDate(0, 1, 0)))
	if ref := referralOf(t, a, s); ref.Status != domain.ReferralSuccessful || !ref.UpdatedAt.Equal(decided) {
		t.Fatalf("decided again: %+v", ref)
	}
	n, err := a.Repos.Referrals.CountSuccessfulSince(context.Background(), referrer.ID, time.Time{})
	if err != nil || n != 1 {
		t.Fatalf("successful referrals %d, %v", n, err)
	}
}

// pay delivers the activation of each shop at once.
func payAtOnce(t *testing.T, a *testkit.App, shops []*shop) {
	t.Helper()
	now := a.Clock.Now()
	var wg sync.WaitGroup
	errs := make([]string, len(shops))
	for i, s := range shops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, e := range activation(s, now) {
				code, body, err := deliverRaw(a, e.Body, testkit.SignStripe(e.Body, testkit.StripeWebhookSecret, time.Now()))
				if err != nil || code != 200 {
					errs[i] = fmt.Sprintf("%s %s: %d %s %v", s.Slug, e.Type, code, body, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != "" {
			t.Fatal(e)
		}
	}
}

// TestReferralYearLimit: a referrer is rewarded for three referrals per
// calendar year in Mexico City; the fourth fails, even when all four pay
// at the same moment, and the count starts again on January 1st there.
func TestReferralYearLimit(t *testing.T) {
	a := testkit.NewApp(t)
	referrer := newShop(t, a, "popular", "")
	var shops []*shop
	for i := range 6 {
		shops = append(shops, newShop(t, a, fmt.Sprintf("referida-%d", i), referrer.Code))
	}
	payAtOnce(t, a, shops[:4])
	counts := map[string]int{}
	for _, s := range shops[:4] {
		ref := referralOf(t, a, s)
		counts[string(ref.Status)+":"+ref.FailReason]++
	}
	if counts["successful:"] != 3 || counts["failed:year_limit"] != 1 {
		t.Fatalf("decisions %v, want 3 successful and 1 failed year_limit", counts)
	}

	// 2027-01-01 05:30 UTC is still New Year's Eve in Mexico City (UTC-6).
	mx, err := time.LoadLocation(domain.DefaultTimeZone)
	if err != nil {
		t.Fatal(err)
	}
	newYear := time.Date(a.Clock.Now().In(mx).Year()+1, 1, 1, 0, 0, 0, 0, mx)
	a.Clock.Advance(newYear.Add(-30 * time.Minute).Sub(a.Clock.Now()))
	payAtOnce(t, a, shops[4:5])
	wantReferral(t, a, shops[4], domain.ReferralFailed, domain.ReferralFailedYearLimit)
	a.Clock.Advance(time.Hour)
	payAtOnce(t, a, shops[5:])
	wantReferral(t, a, shops[5], domain.ReferralSuccessful, "")
}

// TestSelfReferral: a store referred by its own owner, recognised by the
// same WhatsApp number or the same Stripe customer, is failed
// self_referral.
func TestSelfReferral(t *testing.T) {
	a := testkit.NewApp(t)
	referrer := newShop(t, a, "original", "")
	samePhone := newShop(t, a, "mismo-whatsapp", referrer.Code)
	sameCustomer := newShop(t, a, "mismo-cliente", referrer.Code)
	var phone string
	if err := a.DB.Table("businesses").Where("id = ?", referrer.ID).Pluck("whatsapp", &phone).Error; err != nil {
		t.Fatal(err)
	}
	if err := a.DB.Table("businesses").Where("id = ?", samePhone.ID).Update("whatsapp", phone).Error; err != nil {
		t.Fatal(err)
	}
	// The referrer subscribed first; the second store's Checkout reused its
	// Stripe customer.
	deliverAll(t, a, activation(referrer, a.Clock.Now()))
	if err := a.DB.Table("businesses").Where("id = ?", sameCustomer.ID).Update("stripe_customer_id", referrer.Customer).Error; err != nil {
		t.Fatal(err)
	}
	sameCustomer.Customer = referrer.Customer
	deliverAll(t, a, activation(samePhone, a.Clock.Now()))
	deliverAll(t, a, activation(sameCustomer, a.Clock.Now()))
	wantReferral(t, a, samePhone, domain.ReferralFailed, domain.ReferralFailedSelf)
	wantReferral(t, a, sameCustomer, domain.ReferralFailed, domain.ReferralFailedSelf)
	if got := stateOf(t, a, sameCustomer.ID, sameCustomer.Email); got.Status != domain.SubscriptionActive || got.Sub != sameCustomer.Sub {
		t.Fatalf("store sharing the customer: %+v", got)
	}
	if got := stateOf(t, a, referrer.ID, referrer.Email); got.Sub != referrer.Sub || got.Applied != 3 {
		t.Fatalf("referrer took the other store's events: %+v", got)
	}
}
