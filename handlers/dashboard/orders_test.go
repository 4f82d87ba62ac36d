package dashboard_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// ordFixture is an owner with a logged-in client and a counted product.
type ordFixture struct {
	a       *testkit.App
	owner   *testkit.Owner
	c       *testkit.Client
	product *domain.Product
}

func newOrdFixture(t *testing.T) *ordFixture {
	t.Helper()
	a := testkit.NewApp(t)
	f := &ordFixture{a: a, owner: a.CreateOwner("tacos")}
	f.product = a.Product(f.owner.Business.ID, "Taco al pastor", testkit.Slug("taco"), testkit.Stock(10))
	f.c = a.Client()
	f.c.Login(f.owner.Email, f.owner.Password)
	return f
}

// order inserts an order of businessID directly in status, created at
// created (UTC), with two lines: 2 tacos with options, and 1 agua.
func (f *ordFixture) order(t *testing.T, businessID int64, status domain.OrderStatus, code, customer string, created time.Time) *domain.Order {
	t.Helper()
	taco := testkit.Item(f.product, 2, 6500)
	taco.Options = []domain.OrderItemOption{
		{Group: "Tortilla", Name: "Harina", DeltaCents: 500}, {Group: "Extras", Name: "Guacamole", DeltaCents: 3500},
	}
	agua := testkit.Item(f.product, 1, 2000)
	agua.ProductName = "Agua de horchata"
	taco.StockTaken, agua.StockTaken = true, true
	return f.a.Order(businessID, &domain.Order{
		Code: code, Status: status, CustomerName: customer, CustomerPhone: "+525598765432",
		Fulfillment: domain.FulfillmentDelivery, Address: "Av. Insurgentes 123, Del Valle", PaymentMethod: domain.PaymentCardOnDelivery,
		Notes: "Sin cebolla", Language: "es", SubtotalCents: 15000, DeliveryFeeCents: 3000, TotalCents: 18000,
		CreatedAt: created, UpdatedAt: created, Items: []domain.OrderItem{taco, agua},
	})
}

func (f *ordFixture) reload(t *testing.T, id int64) *domain.Order {
	t.Helper()
	var o domain.Order
	if err := f.a.DB.First(&o, id).Error; err != nil {
		t.Fatal(err)
	}
	return &o
}

func (f *ordFixture) stock(t *testing.T) int {
	t.Helper()
	var p domain.Product
	if err := f.a.DB.First(&p, f.product.ID).Error; err != nil {
		t.Fatal(err)
	}
	return *p.Stock
}

func TestOrderDetailShowsTotalsAndActions(t *testing.T) {
	f := newOrdFixture(t)
	// 15:04 UTC is 09:04 in Mexico City.
	o := f.order(t, f.owner.Business.ID, domain.OrderPending, "ABCD2345", "Ana López", time.Date(2026, 3, 2, 15, 4, 0, 0, time.UTC))
	r := f.c.Get(fmt.Sprintf("/dashboard/orders/%d", o.ID))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
	}
	body := html.UnescapeString(r.Body)
	for _, want := range []string{
		"Pedido ABCD2345", "Pendiente", "Taco al pastor", "Tortilla: Harina (+$5.00)", "Extras: Guacamole (+$35.00)",
		"$65.00 c/u", "$130.00", "Agua de horchata", "$20.00", "Subtotal", "$150.00", "Envío", "$30.00", "$180.00",
		"Ana López", "+525598765432", "Envío a domicilio", "Av. Insurgentes 123, Del Valle", "Tarjeta al recibir",
		"Sin cebolla", "02/03/2026 09:04", "Horas de la zona Centro de México (Ciudad de México, Guadalajara).", "Responder por WhatsApp",
		`name="_csrf"`, `value="confirmed"`, `value="cancelled"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("detail page lacks %q", want)
		}
	}
	if strings.Contains(body, "America/Mexico_City") {
		t.Error("detail page shows the raw IANA zone")
	}
	if strings.Contains(body, `value="completed"`) || strings.Contains(body, `value="pending"`) {
		t.Error("detail page offers a status the order cannot move to")
	}
	m := regexp.MustCompile(`href="(https://wa\.me/[^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no wa.me link")
	}
	u, err := url.Parse(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != "/525598765432" || !strings.HasPrefix(u.Query().Get("text"), "¡Hola Ana! Recibimos tu pedido ABCD2345") {
		t.Fatalf("wa link %s → %q", u.Path, u.Query().Get("text"))
	}
	if !strings.Contains(r.Body, `aria-current="page"`) || !strings.Contains(r.Body, `href="/dashboard/orders"`) {
		t.Error("orders tab not marked current")
	}
	if strings.Contains(r.Body, "<script>") || strings.Contains(r.Body, " style=") {
		t.Error("inline script or style on the page")
	}

	// A closed order offers no status button; English shows English labels.
	done := f.order(t, f.owner.Business.ID, domain.OrderCompleted, "DONE2345", "Beto", time.Date(2026, 3, 2, 15, 4, 0, 0, time.UTC))
	f.c.PostForm("/lang", url.Values{"lang": {"en"}, "next": {"/dashboard"}})
	r = f.c.Get(fmt.Sprintf("/dashboard/orders/%d", done.ID))
	if r.StatusCode != http.StatusOK || strings.Contains(r.Body, `name="status"`) || !strings.Contains(r.Body, "This order is closed") ||
		!strings.Contains(r.Body, "Completed") || !strings.Contains(r.Body, "Mar 2, 2026 9:04 AM") {
		t.Fatalf("completed order page: %d\n%s", r.StatusCode, r.Body)
	}
}

// ordAllowed is the status machine, written out.
var ordAllowed = map[string]bool{
	"pending→confirmed": true, "pending→cancelled": true, "confirmed→completed": true, "confirmed→cancelled": true,
}

func TestOrderStatusRouteEveryPair(t *testing.T) {
	f := newOrdFixture(t)
	statuses := []domain.OrderStatus{domain.OrderPending, domain.OrderConfirmed, domain.OrderCompleted, domain.OrderCancelled}
	n := 0
	for _, from := range statuses {
		for _, to := range statuses {
			n++
			pair := string(from) + "→" + string(to)
			t.Run(pair, func(t *testing.T) {
				o := f.order(t, f.owner.Business.ID, from, fmt.Sprintf("PAIR%04d", n), "Ana", f.a.Clock.Now())
				stockBefore := f.stock(t)
				f.a.Clock.Advance(time.Minute)
				path := fmt.Sprintf("/dashboard/orders/%d", o.ID)
				r := f.c.PostForm(path+"/status", url.Values{"status": {string(to)}})
				after := f.reload(t, o.ID)
				if ordAllowed[pair] {
					if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != path {
						t.Fatalf("status %d → %s\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
					}
					if after.Status != to {
						t.Fatalf("order is %s, want %s", after.Status, to)
					}
					want := stockBefore
					if to == domain.OrderCancelled {
						want += 3 // 2 tacos + 1 agua of the same counted product go back
					}
					if s := f.stock(t); s != want {
						t.Fatalf("stock %d, want %d", s, want)
					}
					page := f.c.Get(path)
					if !strings.Contains(page.Body, map[domain.OrderStatus]string{
						domain.OrderConfirmed: "Pedido confirmado.", domain.OrderCompleted: "Pedido marcado como completado.",
						domain.OrderCancelled: "Pedido cancelado.",
					}[to]) {
						t.Fatalf("no confirmation message:\n%s", page.Body)
					}
					return
				}
				if r.StatusCode != http.StatusConflict {
					t.Fatalf("status %d, want 409\n%s", r.StatusCode, r.Body)
				}
				body := html.UnescapeString(r.Body)
				if !strings.Contains(body, "no puede pasar a") || !strings.Contains(body, "No se cambió nada") {
					t.Fatalf("no clear message:\n%s", r.Body)
				}
				if after.Status != from || !after.UpdatedAt.Equal(o.UpdatedAt) || after.ConfirmedAt != nil || after.CompletedAt != nil || after.CancelledAt != nil {
					t.Fatalf("order changed: %+v", after)
				}
				if s := f.stock(t); s != stockBefore {
					t.Fatalf("stock %d → %d", stockBefore, s)
				}
			})
		}
	}

	// An unknown status is bad input; nothing changes.
	o := f.order(t, f.owner.Business.ID, domain.OrderPending, "BOGUS234", "Ana", f.a.Clock.Now())
	r := f.c.PostForm(fmt.Sprintf("/dashboard/orders/%d/status", o.ID), url.Values{"status": {"shipped"}})
	if r.StatusCode != http.StatusBadRequest || f.reload(t, o.ID).Status != domain.OrderPending {
		t.Fatalf("unknown status: %d", r.StatusCode)
	}
	// Without the CSRF token nothing changes either.
	r = f.c.PostFormRaw(fmt.Sprintf("/dashboard/orders/%d/status", o.ID), url.Values{"status": {"confirmed"}})
	if r.StatusCode != http.StatusForbidden || f.reload(t, o.ID).Status != domain.OrderPending {
		t.Fatalf("no csrf: %d", r.StatusCode)
	}
}

func TestOrderListFiltersSearchesAndPages(t *testing.T) {
	f := newOrdFixture(t)
	biz := f.owner.Business.ID
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range 23 {
		f.order(t, biz, domain.OrderPending, fmt.Sprintf("LIST%04d", i), fmt.Sprintf("Cliente %02d", i), base.Add(time.Duration(i)*time.Minute))
	}
	f.order(t, biz, domain.OrderConfirmed, "CONF2345", "Mariana Ruiz", base.Add(time.Hour))
	f.order(t, biz, domain.OrderCancelled, "CANC2345", "Pedro Gómez", base.Add(2*time.Hour))
	other := f.a.CreateOwner("otra")
	f.order(t, other.Business.ID, domain.OrderPending, "AJEN2345", "Cliente ajeno", base.Add(3*time.Hour))

	r := f.c.Get("/dashboard/orders")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
	}
	codes := regexp.MustCompile(`>([A-Z0-9]{8})</p>`).FindAllStringSubmatch(r.Body, -1)
	if len(codes) != 20 || codes[0][1] != "CANC2345" || codes[1][1] != "CONF2345" || codes[2][1] != "LIST0022" {
		t.Fatalf("first page codes = %v", codes)
	}
	for _, want := range []string{"25 pedidos", "Página 1 de 2", `href="/dashboard/orders?page=2"`, "$180.00", "Mariana Ruiz", "01/03/2026 07:00"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	if strings.Contains(r.Body, "AJEN2345") || strings.Contains(r.Body, "Cliente ajeno") {
		t.Fatal("another store's order listed")
	}
	// Tabs carry counts: all 25, pending 23, confirmed 1, completed 0, cancelled 1.
	tabs := regexp.MustCompile(`(?s)href="/dashboard/orders(?:\?status=(\w+))?"[^>]*>\s*([^<]+?)\s*<span[^>]*>(\d+)</span>`).FindAllStringSubmatch(r.Body, -1)
	got := map[string]string{}
	for _, m := range tabs {
		got[m[1]] = m[3]
	}
	want := map[string]string{"": "25", "pending": "23", "confirmed": "1", "completed": "0", "cancelled": "1"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("tab counts = %v, want %v", got, want)
	}

	r = f.c.Get("/dashboard/orders?page=2")
	if n := strings.Count(r.Body, `href="/dashboard/orders/`); n != 5 || !strings.Contains(r.Body, "LIST0000") {
		t.Fatalf("page 2 has %d orders", n)
	}
	// Past the last page shows the last page, with a way back.
	r = f.c.Get("/dashboard/orders?page=9")
	if n := strings.Count(r.Body, `href="/dashboard/orders/`); n != 5 || !strings.Contains(r.Body, "LIST0000") ||
		!strings.Contains(r.Body, "Página 2 de 2") || !strings.Contains(r.Body, `href="/dashboard/orders" rel="prev"`) {
		t.Fatalf("page past the end has %d orders\n%s", n, r.Body)
	}
	r = f.c.Get("/dashboard/orders?status=confirmed")
	if n := strings.Count(r.Body, `href="/dashboard/orders/`); n != 1 || !strings.Contains(r.Body, "CONF2345") {
		t.Fatalf("confirmed filter: %d orders", n)
	}
	r = f.c.Get("/dashboard/orders?q=" + url.QueryEscape("pedro"))
	if n := strings.Count(r.Body, `href="/dashboard/orders/`); n != 1 || !strings.Contains(r.Body, "CANC2345") {
		t.Fatalf("search by name: %d orders", n)
	}
	r = f.c.Get("/dashboard/orders?q=list0007")
	if n := strings.Count(r.Body, `href="/dashboard/orders/`); n != 1 || !strings.Contains(r.Body, "LIST0007") {
		t.Fatalf("search by code: %d orders", n)
	}
	r = f.c.Get("/dashboard/orders?status=completed")
	if !strings.Contains(r.Body, "Ningún pedido coincide") {
		t.Fatal("empty filter message missing")
	}
}

func TestOrdersOfAnotherOwnerAre404(t *testing.T) {
	f := newOrdFixture(t)
	o := f.order(t, f.owner.Business.ID, domain.OrderPending, "MINE2345", "Ana", f.a.Clock.Now())
	other := f.a.CreateOwner("otra")
	c := f.a.Client()
	c.Login(other.Email, other.Password)
	path := fmt.Sprintf("/dashboard/orders/%d", o.ID)
	if r := c.Get(path); r.StatusCode != http.StatusNotFound || strings.Contains(r.Body, "MINE2345") {
		t.Fatalf("GET as another owner: %d", r.StatusCode)
	}
	for _, s := range []string{"confirmed", "cancelled", "completed", "shipped"} {
		if r := c.PostForm(path+"/status", url.Values{"status": {s}}); r.StatusCode != http.StatusNotFound {
			t.Fatalf("POST %s as another owner: %d", s, r.StatusCode)
		}
	}
	if got := f.reload(t, o.ID); got.Status != domain.OrderPending || !got.UpdatedAt.Equal(o.UpdatedAt) || f.stock(t) != 10 {
		t.Fatalf("order changed: %+v", got)
	}
	if r := c.Get("/dashboard/orders"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Aún no tienes pedidos") {
		t.Fatalf("another owner's order list: %d, empty list shown %v", r.StatusCode, strings.Contains(r.Body, "Aún no tienes pedidos"))
	} else if strings.Contains(r.Body, "MINE2345") {
		t.Fatal("another owner sees the order in the list")
	}
	// Visitors are sent to log in; odd IDs are 404.
	if r := f.a.Client().Get(path); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("anonymous: %d", r.StatusCode)
	}
	for _, p := range []string{"/dashboard/orders/abc", "/dashboard/orders/0", "/dashboard/orders/999999"} {
		if r := f.c.Get(p); r.StatusCode != http.StatusNotFound {
			t.Fatalf("%s: %d", p, r.StatusCode)
		}
	}
}

func TestOrderDetailSaysWhatCashIsPaidWith(t *testing.T) {
	f := newOrdFixture(t)
	o := f.order(t, f.owner.Business.ID, domain.OrderPending, "CASH2345", "Ana López", time.Date(2026, 3, 2, 15, 4, 0, 0, time.UTC))
	tendered := domain.Money(50000)
	if err := f.a.DB.Model(o).Updates(map[string]any{"payment_method": domain.PaymentCash, "cash_tendered_cents": tendered}).Error; err != nil {
		t.Fatal(err)
	}
	r := f.c.Get(fmt.Sprintf("/dashboard/orders/%d", o.ID))
	if body := html.UnescapeString(r.Body); r.StatusCode != http.StatusOK || !strings.Contains(body, "Efectivo") ||
		!strings.Contains(body, "paga con $500.00") {
		t.Fatalf("cash order page (%d) does not say what the shopper pays with\n%s", r.StatusCode, r.Body)
	}
}
