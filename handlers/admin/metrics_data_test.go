package admin_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// day is 24 hours; the test clock is Monday 2 March 2026, 15:04:05 UTC
// (09:04 in Mexico City), so the current week started at 06:00 UTC.
const day = 24 * time.Hour

// step is one subscription change, days before now.
type step struct {
	ago      time.Duration
	from, to domain.SubscriptionStatus
}

// business makes a store created `created` before now in status st, with
// exactly the subscription history given (the sign-up's row replaced).
func business(t *testing.T, a *testkit.App, slug string, created time.Duration, st domain.SubscriptionStatus, trialEnds time.Duration, history ...step) *domain.Business {
	t.Helper()
	now := a.Clock.Now()
	b := a.Shop(slug, map[string]any{"subscription_status": st, "created_at": now.Add(-created),
		"trial_ends_at": now.Add(trialEnds)})
	if err := a.DB.Where("business_id = ?", b.ID).Delete(&domain.SubscriptionChange{}).Error; err != nil {
		t.Fatal(err)
	}
	for _, h := range history {
		c := &domain.SubscriptionChange{BusinessID: b.ID, From: h.from, To: h.to, Cause: "test", CreatedAt: now.Add(-h.ago)}
		if err := a.Repos.Subscriptions.AddChange(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

const (
	trial     = domain.SubscriptionTrial
	active    = domain.SubscriptionActive
	pastDue   = domain.SubscriptionPastDue
	cancelled = domain.SubscriptionCancelled
)

// platformData builds the platform dataset:
//
//	a1 active (paid since 80 days), a2 active (since 45 days, suspended),
//	a3 active (converted 5 days ago), p1 past_due (active 75 days ago),
//	c1 cancelled 10 days ago after paying (churn), c2 trial expired 26 days
//	ago (not converted, not churn), t1 on trial, t2 trial ended 2 days ago
//	(job not run yet); the demo store and a deleted store (both active) are
//	not counted.
//
// So: 3 active, 1 past_due, 2 cancelled, 2 trial; MRR = 4 × $249;
// conversion 5 of 7 (a1 a2 a3 p1 c1 of those + c2 t2); churn 1 of 4 (a1 a2
// p1 c1 were paying 30 days ago, c1 left). Sign-ups per week (Mexico City):
// a2 week of 29 Dec, c2 of 19 Jan, a3 and t2 of 9 Feb, t1 of 23 Feb (Sunday
// 23:59 local, Monday 05:59 UTC). Paid MXN invoices by period start: Jan
// one ($249), Feb three ($747; one starts 1 Mar 05:00 UTC = 28 Feb local).
// Referrals: 4 made, 2 successful (1 rewarded), 1 pending, 1 failed.
func platformData(t *testing.T, a *testkit.App) {
	t.Helper()
	now := a.Clock.Now()
	a1 := business(t, a, "tienda-a1", 100*day, active, -86*day, step{100 * day, "", trial}, step{80 * day, trial, active})
	a2 := business(t, a, "tienda-a2", 60*day, active, -46*day, step{60 * day, "", trial}, step{45 * day, trial, active})
	a3 := business(t, a, "tienda-a3", 20*day, active, -6*day, step{20 * day, "", trial}, step{5 * day, trial, active})
	p1 := business(t, a, "tienda-p1", 90*day, pastDue, -76*day, step{90 * day, "", trial}, step{75 * day, trial, active}, step{3 * day, active, pastDue})
	c1 := business(t, a, "tienda-c1", 120*day, cancelled, -106*day, step{120 * day, "", trial}, step{100 * day, trial, active}, step{10 * day, active, cancelled})
	c2 := business(t, a, "tienda-c2", 40*day, cancelled, -26*day, step{40 * day, "", trial}, step{26 * day, trial, cancelled})
	t1 := business(t, a, "tienda-t1", now.Sub(time.Date(2026, 3, 2, 5, 59, 0, 0, time.UTC)), trial, 13*day, step{0, "", trial})
	business(t, a, "tienda-t2", 16*day, trial, -2*day, step{16 * day, "", trial})
	a.Shop("tienda-demo", map[string]any{"demo": true, "subscription_status": active})
	gone := a.CreateOwner("tienda-borrada").Business
	if err := a.DB.Model(gone).Updates(map[string]any{"deleted_at": now, "subscription_status": active}).Error; err != nil {
		t.Fatal(err)
	}
	if err := a.DB.Model(a2).Update("suspended_at", now.Add(-day)).Error; err != nil {
		t.Fatal(err)
	}

	inv := func(b *domain.Business, status, currency string, start time.Time) {
		t.Helper()
		i := &domain.Invoice{BusinessID: b.ID, StripeInvoiceID: "in_" + b.Slug + start.Format("20060102") + currency + status,
			AmountCents: 24900, Currency: currency, Status: status, PeriodStart: start, PeriodEnd: start.AddDate(0, 1, 0), EventAt: start}
		if err := a.DB.Create(i).Error; err != nil {
			t.Fatal(err)
		}
	}
	inv(a1, "paid", "mxn", time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC))
	inv(a2, "paid", "mxn", time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC))
	inv(a3, "paid", "mxn", time.Date(2026, 3, 1, 5, 0, 0, 0, time.UTC))
	inv(c1, "paid", "mxn", time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC))
	inv(p1, "open", "mxn", time.Date(2026, 2, 25, 12, 0, 0, 0, time.UTC))
	inv(a2, "paid", "usd", time.Date(2026, 2, 21, 12, 0, 0, 0, time.UTC))
	inv(a1, "paid", "mxn", time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC))

	ref := func(from, to *domain.Business, st domain.ReferralStatus, rewarded bool) {
		t.Helper()
		r := &domain.Referral{ReferrerID: from.ID, ReferredID: to.ID, Status: st}
		if rewarded {
			r.ReferrerRewardedAt = &now
		}
		if err := a.Repos.Referrals.Create(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	ref(a1, a3, domain.ReferralSuccessful, true)
	ref(a1, p1, domain.ReferralSuccessful, false)
	ref(a1, c2, domain.ReferralFailed, false)
	ref(a2, t1, domain.ReferralPending, false)
}

// customerData builds the stores dataset: s1 has 2 orders this week
// ($100 + $200; a cancelled $500 one does not count) and one on Sunday
// 23:00 Mexico City ($50, the week before), s2 one 10 days ago ($400) and
// one 40 days ago ($70); s3 has no order but its owner is logged in; s4
// nothing. The demo store's orders, products and questions are not
// counted. Products: s1 4 (one hidden), s2 1, s3 one deleted → 5 in 4
// stores. Chatbot in 30 days: 3 LLM, 2 cache, 1 fallback (s2's cache hit
// 40 days ago is out).
func customerData(t *testing.T, a *testkit.App) (s1, s2, s3 *testkit.Owner) {
	t.Helper()
	now := a.Clock.Now()
	s1, s2, s3 = a.CreateOwner("tienda-s1"), a.CreateOwner("tienda-s2"), a.CreateOwner("tienda-s3")
	a.CreateOwner("tienda-s4")
	demo := a.Shop("tienda-demo", map[string]any{"demo": true})
	order := func(b int64, ago time.Duration, cents domain.Money, st domain.OrderStatus) {
		a.Order(b, &domain.Order{CreatedAt: now.Add(-ago), TotalCents: cents, SubtotalCents: cents, Status: st})
	}
	order(s1.Business.ID, time.Hour, 10000, "")
	order(s1.Business.ID, 2*time.Hour, 20000, "")
	order(s1.Business.ID, 3*time.Hour, 50000, domain.OrderCancelled)
	a.Order(s1.Business.ID, &domain.Order{CreatedAt: time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC), TotalCents: 5000, SubtotalCents: 5000})
	order(s2.Business.ID, 10*day, 40000, "")
	order(s2.Business.ID, 40*day, 7000, "")
	order(demo.ID, time.Hour, 99900, "")

	for _, n := range []string{"Taco", "Torta", "Agua"} {
		a.Product(s1.Business.ID, n)
	}
	a.Product(s1.Business.ID, "Oculto", testkit.Inactive())
	a.Product(s2.Business.ID, "Pan")
	gone := a.Product(s3.Business.ID, "Borrado")
	if err := a.DB.Delete(gone).Error; err != nil {
		t.Fatal(err)
	}
	a.Product(demo.ID, "Demo 1")
	a.Product(demo.ID, "Demo 2")

	chat := func(b int64, src domain.ChatSource, ago time.Duration) {
		a.ChatExchange(b, domain.ChatExchange{Source: src, CreatedAt: now.Add(-ago)})
	}
	for i := 0; i < 3; i++ {
		chat(s1.Business.ID, domain.ChatSourceLLM, time.Hour)
	}
	chat(s1.Business.ID, domain.ChatSourceCache, time.Hour)
	chat(s1.Business.ID, domain.ChatSourceCache, 20*day)
	chat(s1.Business.ID, domain.ChatSourceFallback, time.Hour)
	chat(s2.Business.ID, domain.ChatSourceCache, 40*day)
	for i := 0; i < 5; i++ {
		chat(demo.ID, domain.ChatSourceCache, time.Hour)
	}
	a.Client().Login(s3.Email, s3.Password) // s3's dashboard is in use
	return s1, s2, s3
}

// figure is a headline card's value.
func figure(t *testing.T, body, name string) (value, detail string) {
	t.Helper()
	re := regexp.MustCompile(`(?s)data-figure="` + regexp.QuoteMeta(name) + `">\s*<dt[^>]*>[^<]*</dt>\s*<dd[^>]*>([^<]*)</dd>\s*<dd[^>]*>([^<]*)</dd>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("figure %s not on the page", name)
	}
	return m[1], m[2]
}

// wantFigures checks headline cards: name → {value, detail}.
func wantFigures(t *testing.T, body string, want map[string][2]string) {
	t.Helper()
	for name, w := range want {
		if v, d := figure(t, body, name); v != w[0] || d != w[1] {
			t.Errorf("figure %s = %q, %q; want %q, %q", name, v, d, w[0], w[1])
		}
	}
}

// getCSV downloads a table's CSV and parses it back.
func getCSV(t *testing.T, c *testkit.Client, table string) [][]string {
	t.Helper()
	r := c.Get("/admin/metrics/" + table + ".csv")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("%s.csv: status %d\n%s", table, r.StatusCode, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("%s.csv Content-Type %q", table, ct)
	}
	if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="qubly-`+table+`.csv"` {
		t.Errorf("%s.csv Content-Disposition %q", table, cd)
	}
	rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatalf("%s.csv does not parse: %v\n%s", table, err, r.Body)
	}
	return rows
}

// csvMap is a two-or-more column CSV as first column → the rest, joined by "|".
func csvMap(rows [][]string) map[string]string {
	m := map[string]string{}
	for _, r := range rows[1:] {
		m[r[0]] = strings.Join(r[1:], "|")
	}
	return m
}
