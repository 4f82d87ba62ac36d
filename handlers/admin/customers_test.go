package admin_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// The stores page's figures on a known dataset (see customerData).
func TestAdminCustomerMetrics(t *testing.T) {
	a := testkit.NewApp(t)
	customerData(t, a)
	_, c := adminClient(t, a, domain.RoleSuperAdmin, "")

	r := c.Get("/admin/customers")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
	}
	wantFigures(t, r.Body, map[string][2]string{
		"active-stores": {"75%", "3 de 4"},
		"cache-rate":    {"33.3%", "2 de 6"},
		"per-store":     {"1.3", "5 productos en total"},
	})

	orders := csvMap(getCSV(t, c, "orders"))
	if len(orders) != 12 || orders["2026-03-02"] != "2|300.00" || orders["2026-02-23"] != "1|50.00" ||
		orders["2026-02-16"] != "1|400.00" || orders["2026-01-19"] != "1|70.00" || orders["2026-02-09"] != "0|0.00" {
		t.Errorf("orders per week = %v", orders)
	}

	top := getCSV(t, c, "top-stores")
	want := [][]string{
		{"Tienda", "Dirección", "Pedidos", "Valor (MXN)"},
		{"Store tienda-s1", "/tienda-s1", "3", "350.00"},
		{"Store tienda-s2", "/tienda-s2", "1", "400.00"},
	}
	if !reflect.DeepEqual(top, want) {
		t.Errorf("top stores = %v, want %v", top, want)
	}

	if got, want := csvMap(getCSV(t, c, "stores")), map[string]string{
		"Tiendas": "4", "Tiendas activas": "3", "Tiendas activas (%)": "75.0", "Productos": "5",
		"Productos visibles en la tienda": "4", "Productos por tienda": "1.3",
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("stores = %v, want %v", got, want)
	}

	if got, want := csvMap(getCSV(t, c, "chatbot")), map[string]string{
		"Modelo de lenguaje": "3|50.0", "Caché": "2|33.3", "Respuesta automática": "1|16.7", "Total": "6|100.0",
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("chatbot = %v, want %v", got, want)
	}

	for _, s := range []string{"Store tienda-s1", "$350.00", "$300.00", `data-chart="chart-orders"`,
		`data-chart="chart-chatbot"`, `href="/admin/metrics/top-stores.csv"`, `aria-current="page"`} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
}

// Figures are computed once per 5 minutes (by the app's clock): a change
// shows only after that, or after a super admin's refresh.
func TestAdminMetricsCache(t *testing.T) {
	a := testkit.NewApp(t)
	s1, _, _ := customerData(t, a)
	_, c := adminClient(t, a, domain.RoleSuperAdmin, "")
	ordersNow := func() string {
		t.Helper()
		return csvMap(getCSV(t, c, "orders"))["2026-03-02"]
	}
	if got := ordersNow(); got != "2|300.00" {
		t.Fatalf("orders this week = %q", got)
	}
	if _, d := figure(t, c.Get("/admin").Body, "mrr"); d != "0 negocios pagando × $249.00" {
		t.Fatalf("mrr detail = %q", d)
	}
	a.Order(s1.Business.ID, &domain.Order{TotalCents: 1000, SubtotalCents: 1000})
	if err := a.DB.Model(s1.Business).Update("subscription_status", domain.SubscriptionActive).Error; err != nil {
		t.Fatal(err)
	}

	a.Clock.Advance(4*time.Minute + 59*time.Second)
	if got := ordersNow(); got != "2|300.00" {
		t.Errorf("within 5 minutes the orders were recomputed: %q", got)
	}
	if _, d := figure(t, c.Get("/admin").Body, "mrr"); d != "0 negocios pagando × $249.00" {
		t.Errorf("within 5 minutes the MRR was recomputed: %q", d)
	}
	if r := c.Get("/admin/customers"); !strings.Contains(r.Body, "Calculado a las 9:04") {
		t.Error("the page does not show the first computation's time")
	}

	// A super admin's refresh recomputes both pages at once.
	if r := c.PostForm("/admin/metrics/refresh", map[string][]string{"back": {"/admin/customers"}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/customers" {
		t.Fatalf("refresh: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if _, d := figure(t, c.Get("/admin").Body, "mrr"); d != "1 negocios pagando × $249.00" {
		t.Errorf("after refresh mrr = %q", d)
	}
	if got := ordersNow(); got != "3|310.00" {
		t.Errorf("after refresh orders = %q, want 3|310.00", got)
	}
	if r := c.Get("/admin/customers"); !strings.Contains(r.Body, "Calculado a las 9:09") {
		t.Error("the page does not show the new computation's time")
	}

	// Without a refresh, the figures are recomputed once 5 minutes passed.
	a.Order(s1.Business.ID, &domain.Order{TotalCents: 1000, SubtotalCents: 1000})
	a.Clock.Advance(4 * time.Minute)
	if got := ordersNow(); got != "3|310.00" {
		t.Errorf("4 minutes after the refresh orders = %q, want the cached 3|310.00", got)
	}
	a.Clock.Advance(time.Minute)
	if got := ordersNow(); got != "4|320.00" {
		t.Errorf("5 minutes after the refresh orders = %q, want 4|320.00", got)
	}
}
