package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// adminEnv is the app with a logged-in super admin.
type adminEnv struct {
	a     *testkit.App
	super *testkit.Client
	user  *domain.User
}

func newAdminEnv(t *testing.T) *adminEnv {
	t.Helper()
	a := testkit.NewApp(t)
	u, c := adminClient(t, a, domain.RoleSuperAdmin, "")
	return &adminEnv{a: a, super: c, user: u}
}

// inEnglish switches c's pages to English.
func inEnglish(t *testing.T, c *testkit.Client) {
	t.Helper()
	c.PostForm("/lang", url.Values{"lang": {"en"}, "next": {"/"}})
}

func (e *adminEnv) business(t *testing.T, id int64) *domain.Business {
	t.Helper()
	var b domain.Business
	if err := e.a.DB.First(&b, id).Error; err != nil {
		t.Fatal(err)
	}
	return &b
}

func (e *adminEnv) audit(t *testing.T, id int64) []domain.AuditEntry {
	t.Helper()
	var es []domain.AuditEntry
	if err := e.a.DB.Where("target_type = ? AND target_id = ?", domain.AuditTargetBusiness, id).Order("id").Find(&es).Error; err != nil {
		t.Fatal(err)
	}
	return es
}

func expectStatus(t *testing.T, r *testkit.Response, want int) {
	t.Helper()
	if r.StatusCode != want {
		t.Fatalf("status %d, want %d\n%s", r.StatusCode, want, r.Body)
	}
}

func TestAdminBusinessesSearch(t *testing.T) {
	e := newAdminEnv(t)
	perez := e.a.Shop("panaderia-perez", map[string]any{"name": "Panadería Pérez"})
	e.a.Clock.Advance(time.Minute)
	tacos := e.a.Shop("tacos-lupe", map[string]any{"name": "Tacos Lupe", "subscription_status": domain.SubscriptionCancelled})
	e.a.Clock.Advance(time.Minute)
	flores := e.a.Shop("flores-mx", map[string]any{"name": "Flores del Valle"})
	if err := e.a.DB.Model(&domain.User{}).Where("business_id = ?", flores.ID).Update("email", "María.Gómez@Correo.mx").Error; err != nil {
		t.Fatal(err)
	}
	suspendedAt := e.a.Clock.Now()
	if err := e.a.DB.Model(&domain.Business{}).Where("id = ?", tacos.ID).Update("suspended_at", suspendedAt).Error; err != nil {
		t.Fatal(err)
	}

	names := map[int64]string{perez.ID: "Panadería Pérez", tacos.ID: "Tacos Lupe", flores.ID: "Flores del Valle"}
	cases := []struct {
		query string
		want  []int64
	}{
		{"", []int64{flores.ID, tacos.ID, perez.ID}},   // newest first
		{"q=PEREZ", []int64{perez.ID}},                 // name, accents and case ignored
		{"q=tacos-lu", []int64{tacos.ID}},              // slug
		{"q=maria.gomez%40correo", []int64{flores.ID}}, // owner email, folded
		{"status=cancelled", []int64{tacos.ID}},
		{"suspended=yes", []int64{tacos.ID}},
		{"suspended=no&status=trial", []int64{flores.ID, perez.ID}},
		{"q=nadie-asi", nil},
	}
	for _, tc := range cases {
		r := e.super.Get("/admin/businesses?" + tc.query)
		expectStatus(t, r, http.StatusOK)
		for id, name := range names {
			at := strings.Index(r.Body, ">"+name+"</a>")
			wanted := -1
			for i, w := range tc.want {
				if w == id {
					wanted = i
				}
			}
			if (at >= 0) != (wanted >= 0) {
				t.Errorf("?%s: %q listed %v, want %v", tc.query, name, at >= 0, wanted >= 0)
			}
		}
		// Order: each wanted name appears after the previous one.
		pos := 0
		for _, id := range tc.want {
			at := strings.Index(r.Body[pos:], ">"+names[id]+"</a>")
			if at < 0 {
				t.Errorf("?%s: %q out of order", tc.query, names[id])
				break
			}
			pos += at
		}
	}
	// A row shows the slug's store link and the owner's email.
	r := e.super.Get("/admin/businesses?q=flores")
	for _, want := range []string{`href="/flores-mx"`, "María.Gómez@Correo.mx", `href="/admin/businesses/` + fmt.Sprint(flores.ID) + `"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("row lacks %s", want)
		}
	}
}

func TestAdminBusinessesPaginate(t *testing.T) {
	e := newAdminEnv(t)
	for i := 0; i < 27; i++ {
		e.a.TestDB.Business(t, fmt.Sprintf("Negocio %02d", i), fmt.Sprintf("negocio-%02d", i))
	}
	first := e.super.Get("/admin/businesses")
	second := e.super.Get("/admin/businesses?page=2")
	if !strings.Contains(first.Body, ">Negocio 26</a>") || strings.Contains(first.Body, ">Negocio 01</a>") {
		t.Errorf("page 1 is not the newest 25")
	}
	if !strings.Contains(second.Body, ">Negocio 01</a>") || !strings.Contains(second.Body, ">Negocio 00</a>") ||
		strings.Contains(second.Body, ">Negocio 26</a>") {
		t.Errorf("page 2 is not the oldest two")
	}
	if !strings.Contains(first.Body, `href="/admin/businesses?page=2"`) {
		t.Errorf("page 1 has no link to page 2")
	}
}

func TestAdminBusinessDetail(t *testing.T) {
	e := newAdminEnv(t)
	ctx := context.Background()
	referrer := e.a.Shop("quien-refiere", map[string]any{"name": "Quien Refiere"})
	o := e.a.CreateOwner("la-tienda")
	biz := o.Business
	referred := e.a.Shop("su-referido", map[string]any{"name": "Su Referido"})
	for _, ref := range []*domain.Referral{
		{ReferrerID: referrer.ID, ReferredID: biz.ID, Status: domain.ReferralSuccessful},
		{ReferrerID: biz.ID, ReferredID: referred.ID, Status: domain.ReferralPending},
	} {
		if err := e.a.Repos.Referrals.Create(ctx, ref); err != nil {
			t.Fatal(err)
		}
	}
	now := e.a.Clock.Now()
	if err := e.a.DB.Create(&domain.Invoice{BusinessID: biz.ID, StripeInvoiceID: "in_detail", Number: "QB-0042",
		AmountCents: 24900, Currency: "mxn", Status: domain.InvoicePaid, PeriodStart: now, PeriodEnd: now.AddDate(0, 1, 0), EventAt: now}).Error; err != nil {
		t.Fatal(err)
	}
	// Activity, an hour apart (the test clock starts at 09:04 in Mexico City):
	// a product at 10:04, an order at 11:04, the owner's visit at 12:04.
	e.a.Clock.Advance(time.Hour)
	p := e.a.Product(biz.ID, "Pan")
	e.a.Clock.Advance(time.Hour)
	e.a.Order(biz.ID, &domain.Order{Code: "DETAIL1", CustomerName: "Ana", Items: []domain.OrderItem{testkit.Item(p, 1, 1000)}})
	e.a.Clock.Advance(time.Hour)
	e.a.Client().Login(o.Email, o.Password)

	r := e.super.Get(fmt.Sprintf("/admin/businesses/%d", biz.ID))
	expectStatus(t, r, http.StatusOK)
	for _, want := range []string{
		"Store la-tienda", o.Email, "Owner la-tienda", // owner
		"Registro",                     // history: the sign-up
		"QB-0042", "$249.00", "Pagada", // invoice
		">Quien Refiere</a>", ">Su Referido</a>", // referrals both ways
		"Fin de la prueba",
		"Última actividad: 2 mar 2026, 12:04", // the owner's visit, the latest
		"Último cambio de producto:</dt> <dd class=\"inline\">2 mar 2026, 10:04",
		"Último pedido:</dt> <dd class=\"inline\">2 mar 2026, 11:04",
		"Productos:</dt> <dd class=\"inline\">1", "Pedidos:</dt> <dd class=\"inline\">1",
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("detail lacks %q", want)
		}
	}
	if r := e.super.Get("/admin/businesses/999999"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown business: %d", r.StatusCode)
	}
}
