package dashboard_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// TestBillingPageAndBannerInEveryState shows each subscription state on the
// billing page and in the banner of another dashboard page, in es and en.
func TestBillingPageAndBannerInEveryState(t *testing.T) {
	calls := testkit.NewStripeCalls(t)
	a := billingApp(t, calls)
	now := a.Clock.Now()
	day := 24 * time.Hour
	type want struct{ page, banner []string }
	states := []struct {
		name   string
		change func(b *domain.Billing)
		es, en want
	}{
		{"trial", func(b *domain.Billing) {}, want{
			[]string{"Prueba gratis", "Te quedan 14 días de prueba gratis: termina el " + date(now.Add(14*day), "es"), ">Suscribirme<", "Aún no tienes facturas"},
			[]string{`data-billing-banner="trial"`, "Te quedan 14 días de prueba."},
		}, want{
			[]string{"Free trial", "14 days of free trial left: it ends on " + date(now.Add(14*day), "en"), ">Subscribe<", "No invoices yet"},
			[]string{`data-billing-banner="trial"`, "14 days of free trial left."},
		}},
		{"active", func(b *domain.Billing) {
			end := now.Add(30 * day)
			b.SubscriptionStatus, b.CurrentPeriodEnd, b.StripeCustomerID = domain.SubscriptionActive, &end, "cus_active"
		}, want{
			[]string{">Activa<", "Próximo cargo: $249.00 MXN el " + date(now.Add(30*day), "es") + ".", "Administrar pago", "$249.00 MXN", "Pagada", "https://invoice.stripe.com/i/active"},
			nil,
		}, want{
			[]string{">Active<", "Next charge: $249.00 MXN on " + date(now.Add(30*day), "en") + ".", "Manage payment", "$249.00 MXN", "Paid", "https://invoice.stripe.com/i/active"},
			nil,
		}},
		{"past_due", func(b *domain.Billing) {
			since := now.Add(-2 * day)
			b.SubscriptionStatus, b.PastDueSince, b.StripeCustomerID = domain.SubscriptionPastDue, &since, "cus_late"
		}, want{
			[]string{"Pago pendiente", "Tu tienda sigue en línea hasta el " + date(now.Add(5*day), "es"), "Administrar pago"},
			[]string{`data-billing-banner="past_due"`, "Tu tienda se desactivará el " + date(now.Add(5*day), "es")},
		}, want{
			[]string{"Payment due", "Your store stays online until " + date(now.Add(5*day), "en"), "Manage payment"},
			[]string{`data-billing-banner="past_due"`, "Your store will be switched off on " + date(now.Add(5*day), "en")},
		}},
		{"past_due_offline", func(b *domain.Billing) {
			since := now.Add(-10 * day)
			b.SubscriptionStatus, b.PastDueSince, b.StripeCustomerID = domain.SubscriptionPastDue, &since, "cus_later"
		}, want{
			[]string{"Pago pendiente", "No pudimos cobrar tu último pago y tu tienda está desactivada."},
			[]string{`data-billing-banner="past_due_offline"`, "No pudimos cobrar tu suscripción y tu tienda está desactivada."},
		}, want{
			[]string{"Payment due", "We could not charge your last payment and your store is switched off."},
			[]string{`data-billing-banner="past_due_offline"`, "We could not charge your subscription and your store is switched off."},
		}},
		{"ending", func(b *domain.Billing) {
			end := now.Add(9 * day)
			b.SubscriptionStatus, b.CurrentPeriodEnd, b.CancelAtPeriodEnd, b.StripeCustomerID = domain.SubscriptionActive, &end, true, "cus_ending"
		}, want{
			[]string{">Activa<", "Cancelaste tu suscripción: tu tienda sigue en línea hasta el " + date(now.Add(9*day), "es")},
			nil,
		}, want{
			[]string{">Active<", "You cancelled your subscription: your store stays online until " + date(now.Add(9*day), "en")},
			nil,
		}},
		{"cancelled", func(b *domain.Billing) {
			b.SubscriptionStatus, b.StripeCustomerID = domain.SubscriptionCancelled, "cus_gone"
		}, want{
			[]string{">Cancelada<", "Tu tienda está desactivada: tus clientes ven", "Volver a suscribirme"},
			[]string{`data-billing-banner="cancelled"`, "Tu tienda está desactivada; tus datos se conservan.", "Volver a suscribirme", `action="/dashboard/billing/subscribe"`},
		}, want{
			[]string{">Cancelled<", "Your store is switched off: your customers see", "Subscribe again"},
			[]string{`data-billing-banner="cancelled"`, "Your store is switched off; your data is kept.", "Subscribe again"},
		}},
	}
	for _, st := range states {
		o, c := ownerClient(t, a, "estado-"+strings.ReplaceAll(st.name, "_", "-"))
		setBilling(t, a, o.Business.ID, st.change)
		if st.name == "active" {
			a.DB.Create(&domain.Invoice{BusinessID: o.Business.ID, StripeInvoiceID: "in_active", AmountCents: 24900, Currency: "mxn",
				Status: domain.InvoicePaid, HostedURL: "https://invoice.stripe.com/i/active", PeriodStart: now, PeriodEnd: now.Add(30 * day), EventAt: now})
		}
		for _, lang := range []string{"es", "en"} {
			w := st.es
			if lang == "en" {
				w = st.en
			}
			c.PostForm("/lang", url.Values{"lang": {lang}, "next": {"/dashboard"}})
			r := c.Get("/dashboard/billing")
			if r.StatusCode != http.StatusOK {
				t.Fatalf("%s %s: billing page %d", st.name, lang, r.StatusCode)
			}
			for _, s := range w.page {
				if !strings.Contains(r.Body, s) {
					t.Errorf("%s %s: billing page lacks %q", st.name, lang, s)
				}
			}
			if strings.Contains(r.Body, "data-billing-banner") {
				t.Errorf("%s %s: the billing page repeats the banner", st.name, lang)
			}
			r = c.Get("/dashboard/products")
			for _, s := range w.banner {
				if !strings.Contains(r.Body, s) {
					t.Errorf("%s %s: products page banner lacks %q", st.name, lang, s)
				}
			}
			if w.banner == nil && strings.Contains(r.Body, "data-billing-banner") {
				t.Errorf("%s %s: a banner is shown", st.name, lang)
			}
		}
	}
}

// TestBillingShowsOnlyTheOwnersInvoices: each owner sees their invoices,
// never another's.
func TestBillingShowsOnlyTheOwnersInvoices(t *testing.T) {
	a := testkit.NewApp(t)
	now := a.Clock.Now()
	_, ca := ownerClient(t, a, "tienda-a")
	ob, cb := ownerClient(t, a, "tienda-b")
	oa := a.CreateOwner("tienda-c")
	for _, o := range []*testkit.Owner{oa, ob} {
		a.DB.Create(&domain.Invoice{BusinessID: o.Business.ID, StripeInvoiceID: "in_" + o.Business.Slug, AmountCents: 24900,
			Currency: "mxn", Status: domain.InvoicePaid, HostedURL: "https://invoice.stripe.com/i/" + o.Business.Slug,
			PeriodStart: now, PeriodEnd: now.AddDate(0, 1, 0), EventAt: now})
	}
	if r := cb.Get("/dashboard/billing"); !strings.Contains(r.Body, "/i/tienda-b") || strings.Contains(r.Body, "/i/tienda-c") {
		t.Errorf("owner B's billing page shows the wrong invoices")
	}
	if r := ca.Get("/dashboard/billing"); strings.Contains(r.Body, "/i/tienda-") || !strings.Contains(r.Body, "Aún no tienes facturas") {
		t.Errorf("owner A without invoices sees some")
	}
}

// writableWhenCancelled are the dashboard writes a cancelled business may
// still make.
var writableWhenCancelled = map[string]bool{
	"POST /dashboard/billing/subscribe": true,
	"POST /dashboard/billing/portal":    true,
	"POST /dashboard/account/password":  true,
}

// TestCancelledDashboardIsReadOnly walks every dashboard write route as the
// owner of a cancelled store: each is refused with a 403 that says why, and
// nothing changes; every page can still be seen.
func TestCancelledDashboardIsReadOnly(t *testing.T) {
	a := testkit.NewApp(t, testkit.WithEnv("DATA_DIR", t.TempDir()))
	o, c := ownerClient(t, a, "cerrada")
	f := writeTarget{seedTenant(t, a, o), o.Business.Slug}
	setBilling(t, a, o.Business.ID, func(b *domain.Billing) { b.SubscriptionStatus = domain.SubscriptionCancelled })
	before := snapshot(t, a, o.Business.ID)
	fill := func(path string, params []string) string {
		for _, p := range params {
			path = strings.Replace(path, ":"+p, fmt.Sprint(f.ids[p]), 1)
		}
		return path
	}
	seen, refused, pages := map[string]bool{}, 0, 0
	for _, rt := range a.Fiber.GetRoutes(true) {
		key := rt.Method + " " + rt.Path
		if !strings.HasPrefix(rt.Path, "/dashboard") || seen[key] {
			continue
		}
		seen[key] = true
		path := fill(rt.Path, rt.Params)
		switch rt.Method {
		case http.MethodGet:
			if r := c.Get(path); r.StatusCode != http.StatusOK {
				t.Errorf("GET %s of a cancelled store: %d", path, r.StatusCode)
			}
			pages++
			continue
		case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		default:
			continue
		}
		if writableWhenCancelled[key] {
			continue
		}
		write, ok := storeWrites[key]
		if !ok {
			t.Errorf("%s: not in storeWrites; give it a valid request there (or allow it in writableWhenCancelled)", key)
			continue
		}
		refused++
		r := write(t, c, path, f)
		if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "tu panel es de solo lectura") {
			t.Errorf("%s (%s) of a cancelled store: %d, want 403 with the read-only notice\n%.300s", key, path, r.StatusCode, r.Body)
		}
	}
	for key := range writableWhenCancelled {
		if !seen[key] {
			t.Errorf("writableWhenCancelled lists %s, which is no longer a route", key)
		}
	}
	if after := snapshot(t, a, o.Business.ID); after != before {
		t.Errorf("a refused write changed the store:\nbefore %s\nafter  %s", before, after)
	}
	if refused < 20 || pages < 5 {
		t.Fatalf("only %d writes and %d pages walked", refused, pages)
	}
	// The sortable lists' script asks for JSON.
	req, _ := http.NewRequest(http.MethodPost, testkit.BaseURL+"/dashboard/products/reorder", strings.NewReader("ids=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRF())
	if r := c.Do(req); r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, `"error":"Tu tienda está desactivada`) {
		t.Errorf("JSON write: %d %s", r.StatusCode, r.Body)
	}
	// The way back stays open: the banner's button and the billing page.
	if r := c.PostForm("/dashboard/billing/subscribe", nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("resubscribe of a cancelled store: %d", r.StatusCode)
	}
	// English owners read it in English.
	c.PostForm("/lang", url.Values{"lang": {"en"}, "next": {"/dashboard"}})
	if r := c.PostForm("/dashboard/categories", url.Values{"name": {"Nueva"}}); r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "your dashboard is read only") {
		t.Errorf("English refusal: %d", r.StatusCode)
	}
	t.Logf("%d writes refused, %d pages shown", refused, pages)
}
