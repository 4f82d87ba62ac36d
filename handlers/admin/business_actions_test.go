package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/testkit"
)

func TestAdminExtendTrial(t *testing.T) {
	e := newAdminEnv(t)
	biz := e.a.Shop("en-prueba", nil)
	path := fmt.Sprintf("/admin/businesses/%d/trial", biz.ID)
	oldEnd := *biz.TrialEndsAt

	// Bad input: 400 with the message in the viewer's language, nothing changed.
	en := e.a.Client()
	en.Login(e.user.Email, adminPass)
	inEnglish(t, en)
	for _, days := range []string{"0", "500", "abc", "", "-3", "2.5"} {
		r := e.super.PostForm(path, url.Values{"days": {days}})
		expectStatus(t, r, http.StatusBadRequest)
		if !strings.Contains(r.Body, "Escribe un número entero de días entre 1 y 90.") || !strings.Contains(r.Body, `aria-invalid="true"`) {
			t.Errorf("days %q: no Spanish message next to the field", days)
		}
		r = en.PostForm(path, url.Values{"days": {days}})
		expectStatus(t, r, http.StatusBadRequest)
		if !strings.Contains(r.Body, "Enter a whole number of days from 1 to 90.") {
			t.Errorf("days %q: no English message", days)
		}
	}
	if b := e.business(t, biz.ID); !b.TrialEndsAt.Equal(oldEnd) || len(e.audit(t, biz.ID)) != 0 {
		t.Fatalf("bad input changed something: trial end %v, audit %v", b.TrialEndsAt, e.audit(t, biz.ID))
	}

	// A running trial ends 10 days later.
	r := e.super.PostForm(path, url.Values{"days": {"10"}})
	expectStatus(t, r, http.StatusSeeOther)
	b := e.business(t, biz.ID)
	if want := oldEnd.Add(10 * 24 * time.Hour); !b.TrialEndsAt.Equal(want) || b.SubscriptionStatus != domain.SubscriptionTrial {
		t.Errorf("trial end %v (%s), want %v", b.TrialEndsAt, b.SubscriptionStatus, want)
	}
	if r := e.super.Get(r.Header.Get("Location")); !strings.Contains(r.Body, "Prueba extendida.") {
		t.Errorf("no confirmation after the redirect")
	}
	entries := e.audit(t, biz.ID)
	if len(entries) != 1 || entries[0].Action != domain.AuditTrialExtended || entries[0].ActorEmail != e.user.Email ||
		entries[0].ActorUserID == nil || *entries[0].ActorUserID != e.user.ID || !strings.HasPrefix(entries[0].Detail, "+10 d:") {
		t.Errorf("audit: %+v", entries)
	}

	// A trial that ended, still recorded as trial (the job has not run):
	// the new end counts from now.
	e.a.Clock.Advance(30 * 24 * time.Hour)
	e.super.Login(e.user.Email, adminPass) // the session ran out meanwhile
	expectStatus(t, e.super.PostForm(path, url.Values{"days": {"3"}}), http.StatusSeeOther)
	if b, want := e.business(t, biz.ID), e.a.Clock.Now().Add(3*24*time.Hour); !b.TrialEndsAt.Equal(want) {
		t.Errorf("ended trial extended to %v, want %v", b.TrialEndsAt, want)
	}

	// An active subscription: 409, nothing changed, no entry.
	paying := e.a.Shop("pagando", map[string]any{"subscription_status": domain.SubscriptionActive})
	r = e.super.PostForm(fmt.Sprintf("/admin/businesses/%d/trial", paying.ID), url.Values{"days": {"5"}})
	expectStatus(t, r, http.StatusConflict)
	if !strings.Contains(r.Body, "No se puede extender") {
		t.Errorf("no message for an active subscription")
	}
	if b := e.business(t, paying.ID); !b.TrialEndsAt.Equal(*paying.TrialEndsAt) || b.SubscriptionStatus != domain.SubscriptionActive ||
		len(e.audit(t, paying.ID)) != 0 {
		t.Errorf("active subscription changed: %s %v", b.SubscriptionStatus, b.TrialEndsAt)
	}
	// Its page offers no trial form.
	if r := e.super.Get(fmt.Sprintf("/admin/businesses/%d", paying.ID)); strings.Contains(r.Body, `name="days"`) {
		t.Errorf("active subscription offers the trial form")
	}
}

// A trial the trial job cancelled, never paid, goes back to trial ending N
// days from now, through the state machine (its history says so), and the
// store is online again.
func TestAdminReopensAnExpiredTrial(t *testing.T) {
	e := newAdminEnv(t)
	biz := e.a.Shop("vencida", nil)
	e.a.Clock.Advance(20 * 24 * time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	e.a.StartJobs(ctx)
	deadline := time.Now().Add(10 * time.Second)
	for e.business(t, biz.ID).SubscriptionStatus != domain.SubscriptionCancelled {
		if time.Now().After(deadline) {
			t.Fatal("the trial job did not cancel the expired trial")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	e.a.WaitJobs()
	shopper := e.a.Client()
	if r := shopper.Get("/vencida"); r.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("expired store: %d", r.StatusCode)
	}

	r := e.super.PostForm(fmt.Sprintf("/admin/businesses/%d/trial", biz.ID), url.Values{"days": {"7"}})
	expectStatus(t, r, http.StatusSeeOther)
	b := e.business(t, biz.ID)
	if want := e.a.Clock.Now().Add(7 * 24 * time.Hour); b.SubscriptionStatus != domain.SubscriptionTrial || !b.TrialEndsAt.Equal(want) {
		t.Fatalf("after reopening: %s until %v, want trial until %v", b.SubscriptionStatus, b.TrialEndsAt, want)
	}
	var last domain.SubscriptionChange
	if err := e.a.DB.Where("business_id = ?", biz.ID).Order("id DESC").First(&last).Error; err != nil {
		t.Fatal(err)
	}
	if last.From != domain.SubscriptionCancelled || last.To != domain.SubscriptionTrial || last.Cause != domain.CauseTrialReopened {
		t.Errorf("history: %+v", last)
	}
	if r := shopper.Get("/vencida"); r.StatusCode != http.StatusOK {
		t.Errorf("reopened store: %d", r.StatusCode)
	}
	if es := e.audit(t, biz.ID); len(es) != 1 || !strings.Contains(es[0].Detail, "cancelled → trial") {
		t.Errorf("audit: %+v", es)
	}

	// Once it paid, a cancelled subscription is not a trial to reopen.
	paid := e.a.Shop("pago-y-cancelo", map[string]any{"subscription_status": domain.SubscriptionCancelled})
	now := e.a.Clock.Now()
	if err := e.a.DB.Create(&domain.Invoice{BusinessID: paid.ID, StripeInvoiceID: "in_paid", AmountCents: 24900, Currency: "mxn",
		Status: domain.InvoicePaid, PeriodStart: now, PeriodEnd: now, EventAt: now}).Error; err != nil {
		t.Fatal(err)
	}
	r = e.super.PostForm(fmt.Sprintf("/admin/businesses/%d/trial", paid.ID), url.Values{"days": {"7"}})
	expectStatus(t, r, http.StatusConflict)
}

// postOrder places a JSON order as a non-browser client.
func postOrder(t *testing.T, c *testkit.Client, slug string, productID int64) *testkit.Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"items":       []map[string]any{{"product_id": productID, "quantity": 1}},
		"customer":    map[string]any{"name": "Ana López", "phone": "55 9876 5432"},
		"fulfillment": "pickup", "payment_method": "cash",
	})
	req, _ := http.NewRequest(http.MethodPost, testkit.BaseURL+"/"+slug+"/orders", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	return c.Do(req)
}

func TestAdminSuspendAndUnsuspend(t *testing.T) {
	e := newAdminEnv(t)
	biz := e.a.Shop("a-suspender", map[string]any{"name": "Tienda Suspendible"})
	p := e.a.Product(biz.ID, "Concha", testkit.Price(1500))
	shopper := e.a.Client()
	if r := e.a.Client().Get("/sitemap.xml"); !strings.Contains(r.Body, "/a-suspender") {
		t.Fatalf("sitemap lacks the store before the suspension")
	}
	path := fmt.Sprintf("/admin/businesses/%d/suspend", biz.ID)

	// A reason is required, and bounded.
	en := e.a.Client()
	en.Login(e.user.Email, adminPass)
	inEnglish(t, en)
	for _, tc := range []struct{ reason, es, en string }{
		{"   ", "Escribe el motivo de la suspensión.", "Enter the reason for the suspension."},
		{strings.Repeat("x", domain.SuspendReasonMax+1), "El motivo admite máximo 300 caracteres.", "The reason takes at most 300 characters."},
	} {
		r := e.super.PostForm(path, url.Values{"reason": {tc.reason}})
		expectStatus(t, r, http.StatusBadRequest)
		if !strings.Contains(r.Body, tc.es) {
			t.Errorf("reason %.10q: no Spanish message", tc.reason)
		}
		if r := en.PostForm(path, url.Values{"reason": {tc.reason}}); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, tc.en) {
			t.Errorf("reason %.10q: %d, no English message", tc.reason, r.StatusCode)
		}
	}
	if b := e.business(t, biz.ID); b.Suspended() || len(e.audit(t, biz.ID)) != 0 {
		t.Fatal("refused suspension changed something")
	}

	// The store page is cached right before the suspension.
	shopper.Get("/a-suspender")
	if r := shopper.Get("/a-suspender"); r.StatusCode != http.StatusOK || r.Header.Get(web.HeaderPageCache) != "hit" {
		t.Fatalf("store page not cached: %d %q", r.StatusCode, r.Header.Get(web.HeaderPageCache))
	}
	r := e.super.PostForm(path, url.Values{"reason": {"Vende productos prohibidos"}})
	expectStatus(t, r, http.StatusSeeOther)
	// Shoppers get the unavailable page at once: the cached page was purged.
	if r := shopper.Get("/a-suspender"); r.StatusCode != http.StatusServiceUnavailable || strings.Contains(r.Body, "Concha") {
		t.Fatalf("store page right after the suspension: %d (cache %q)", r.StatusCode, r.Header.Get(web.HeaderPageCache))
	}
	if r := e.super.Get(r.Header.Get("Location")); !strings.Contains(r.Body, "Tienda suspendida.") || !strings.Contains(r.Body, "Vende productos prohibidos") {
		t.Errorf("detail after suspending lacks the flash or the reason")
	}
	b := e.business(t, biz.ID)
	if !b.Suspended() || b.SuspendedReason != "Vende productos prohibidos" {
		t.Fatalf("not suspended: %v %q", b.SuspendedAt, b.SuspendedReason)
	}
	// Shoppers: the unavailable page, no orders, no chat, not in the sitemap.
	if r := shopper.Get("/a-suspender"); r.StatusCode != http.StatusServiceUnavailable || strings.Contains(r.Body, "Concha") {
		t.Errorf("suspended store page: %d (cache %q)", r.StatusCode, r.Header.Get(web.HeaderPageCache))
	}
	if r := shopper.Get(fmt.Sprintf("/a-suspender/p/%s", p.Slug)); r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("suspended product page: %d", r.StatusCode)
	}
	if r := postOrder(t, e.a.Client(), "a-suspender", p.ID); r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("order to a suspended store: %d %s", r.StatusCode, r.Body)
	}
	var orders int64
	e.a.DB.Model(&domain.Order{}).Where("business_id = ?", biz.ID).Count(&orders)
	if orders != 0 {
		t.Errorf("%d orders stored for a suspended store", orders)
	}
	chat := e.a.Client()
	if r := chat.PostForm("/a-suspender/chat", url.Values{"q": {"¿Tienen conchas?"}}); r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("chat of a suspended store: %d", r.StatusCode)
	}
	if r := e.a.Client().Get("/sitemap.xml"); strings.Contains(r.Body, "/a-suspender") {
		t.Errorf("sitemap lists the suspended store")
	}
	// Suspending again changes nothing.
	r = e.super.PostForm(path, url.Values{"reason": {"otra vez"}})
	expectStatus(t, r, http.StatusSeeOther)
	if b := e.business(t, biz.ID); b.SuspendedReason != "Vende productos prohibidos" || len(e.audit(t, biz.ID)) != 1 {
		t.Errorf("second suspension changed something")
	}

	r = e.super.PostForm(fmt.Sprintf("/admin/businesses/%d/unsuspend", biz.ID), nil)
	expectStatus(t, r, http.StatusSeeOther)
	if b := e.business(t, biz.ID); b.Suspended() || b.SuspendedReason != "" {
		t.Errorf("still suspended: %v", b.SuspendedAt)
	}
	if r := shopper.Get("/a-suspender"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Concha") {
		t.Errorf("restored store page: %d", r.StatusCode)
	}
	if r := postOrder(t, e.a.Client(), "a-suspender", p.ID); r.StatusCode != http.StatusCreated {
		t.Errorf("order to the restored store: %d %s", r.StatusCode, r.Body)
	}

	es := e.audit(t, biz.ID)
	if len(es) != 2 || es[0].Action != domain.AuditStoreSuspended || es[0].Detail != "Vende productos prohibidos" ||
		es[1].Action != domain.AuditStoreRestored || es[0].ActorEmail != e.user.Email || es[1].ActorEmail != e.user.Email {
		t.Fatalf("audit: %+v", es)
	}

	// The audit log lists them, translated, newest first, with the target.
	log := e.super.Get("/admin/audit")
	expectStatus(t, log, http.StatusOK)
	restored, suspended := strings.Index(log.Body, "Reactivó una tienda"), strings.Index(log.Body, "Suspendió una tienda")
	if restored < 0 || suspended < 0 || restored > suspended {
		t.Errorf("audit log order: restored at %d, suspended at %d", restored, suspended)
	}
	for _, want := range []string{e.user.Email, fmt.Sprintf(`href="/admin/businesses/%d">Tienda Suspendible</a>`, biz.ID), "Vende productos prohibidos"} {
		if !strings.Contains(log.Body, want) {
			t.Errorf("audit log lacks %s", want)
		}
	}
	if r := e.super.Get("/admin/audit?type=user"); strings.Contains(r.Body, "Suspendió una tienda") {
		t.Errorf("the user filter lists business entries")
	}
	if r := e.super.Get("/admin/audit?type=business"); !strings.Contains(r.Body, "Suspendió una tienda") {
		t.Errorf("the business filter lacks business entries")
	}
	if r := en.Get("/admin/audit"); !strings.Contains(r.Body, "Suspended a store") {
		t.Errorf("English audit log lacks the translated action")
	}
}

// TestSuspendedOwnerSeesWhy: the owner of a suspended store is told on
// every dashboard page, with the admin's reason, in their language; the
// notice goes with the suspension.
func TestSuspendedOwnerSeesWhy(t *testing.T) {
	e := newAdminEnv(t)
	o := e.a.CreateOwner("suspendida")
	owner := e.a.Client()
	owner.Login(o.Email, o.Password)
	if r := owner.Get("/dashboard"); strings.Contains(r.Body, `data-billing-banner="suspended"`) {
		t.Fatal("suspended notice before any suspension")
	}
	expectStatus(t, e.super.PostForm(fmt.Sprintf("/admin/businesses/%d/suspend", o.Business.ID),
		url.Values{"reason": {"Fotos de otra tienda"}}), http.StatusSeeOther)
	for _, path := range []string{"/dashboard", "/dashboard/products"} {
		r := owner.Get(path)
		if !strings.Contains(r.Body, `data-billing-banner="suspended"`) || !strings.Contains(r.Body, "Qubly suspendió tu tienda") ||
			!strings.Contains(r.Body, "Motivo: Fotos de otra tienda.") {
			t.Errorf("%s of a suspended store lacks the notice with its reason", path)
		}
	}
	inEnglish(t, owner)
	if r := owner.Get("/dashboard"); !strings.Contains(r.Body, "Qubly has suspended your store") {
		t.Error("no English notice")
	}
	expectStatus(t, e.super.PostForm(fmt.Sprintf("/admin/businesses/%d/unsuspend", o.Business.ID), nil), http.StatusSeeOther)
	if r := owner.Get("/dashboard"); strings.Contains(r.Body, `data-billing-banner="suspended"`) {
		t.Error("the notice stayed after the suspension was lifted")
	}
}
