package store_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// shop is the store "tacos" ready to take orders, and a second store "otra".
//
//	taco   $25.00, Tortilla (pick 1: maíz +0, harina +5), Extras (0..2: queso +15, guacamole +20)
//	fiesta $1,200.00
//	agua   $20.50
//	soldOut, hidden (inactive), deleted
//
// Pickup and delivery ($30.00 fee, $100.00 minimum); cash (with a note) and
// transfer (CLABE, bank, holder, note); no card on delivery.
type shop struct {
	a      *testkit.App
	biz    *domain.Business
	other  *domain.Business
	taco   *domain.Product
	fiesta *domain.Product
	agua   *domain.Product

	soldOut, hidden, deleted, otherProduct *domain.Product

	maiz, harina, queso, guacamole, otherChoice int64
	pos                                         int
}

func newShop(t *testing.T, opts ...testkit.AppOption) *shop {
	t.Helper()
	a := testkit.NewApp(t, opts...)
	s := &shop{a: a}
	s.biz = a.CreateOwner("tacos").Business
	s.other = a.CreateOwner("otra").Business
	s.update(t, map[string]any{
		"pickup_enabled": true, "delivery_enabled": true, "delivery_fee_cents": 3000, "delivery_min_cents": 10000,
		"pay_cash": true, "pay_cash_note": "Llevamos cambio de $500", "pay_transfer": true,
		"pay_transfer_clabe": "002180700971960012", "pay_transfer_bank": "Banamex", "pay_transfer_holder": "Guadalupe Pérez",
		"pay_transfer_note": "Manda tu comprobante", "pay_card_on_delivery": false,
		"address": "Av. Juárez 12", "city": "Puebla",
	})

	s.taco = s.product(s.biz.ID, "Taco al pastor", testkit.Price(2500),
		testkit.OptionGroup("Tortilla", 1, 1, testkit.Choice("Maíz", 0), testkit.Choice("Harina", 500)),
		testkit.OptionGroup("Extras", 0, 2, testkit.Choice("Queso", 1500), testkit.Choice("Guacamole", 2000)))
	tortilla, extras := s.taco.Options[0].Choices, s.taco.Options[1].Choices
	s.maiz, s.harina, s.queso, s.guacamole = tortilla[0].ID, tortilla[1].ID, extras[0].ID, extras[1].ID
	s.fiesta = s.product(s.biz.ID, "Paquete fiesta", testkit.Price(120000))
	s.agua = s.product(s.biz.ID, "Agua de horchata", testkit.Price(2050))
	s.soldOut = s.product(s.biz.ID, "Pozole", testkit.Price(9000), testkit.SoldOut())
	s.hidden = s.product(s.biz.ID, "Secreto", testkit.Price(1000), testkit.Inactive())
	s.deleted = s.product(s.biz.ID, "Borrado", testkit.Price(1000))
	must(t, a.DB.Delete(s.deleted).Error)

	s.otherProduct = s.product(s.other.ID, "Producto ajeno", testkit.Price(100),
		testkit.OptionGroup("Ajeno", 0, 1, testkit.Choice("Opción ajena", 100)))
	s.otherChoice = s.otherProduct.Options[0].Choices[0].ID
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (s *shop) update(t *testing.T, set map[string]any) {
	t.Helper()
	must(t, s.a.DB.Model(&domain.Business{}).Where("id = ?", s.biz.ID).Updates(set).Error)
	b, err := s.a.Repos.Businesses.Get(t.Context(), s.biz.ID)
	must(t, err)
	s.biz = b
	s.a.Cache.PurgeStore(t.Context(), s.biz.ID)
}

// product adds an active product to store biz (testkit's App.Product),
// placed after the shop's products before it.
func (s *shop) product(biz int64, name string, opts ...testkit.ProductOption) *domain.Product {
	s.pos++
	return s.a.Product(biz, name, append([]testkit.ProductOption{testkit.Position(s.pos)}, opts...)...)
}

func (s *shop) orders(t *testing.T) int64 {
	t.Helper()
	var n int64
	must(t, s.a.DB.Model(&domain.Order{}).Count(&n).Error)
	return n
}

func (s *shop) order(t *testing.T, code string) *domain.Order {
	t.Helper()
	var o domain.Order
	must(t, s.a.DB.Where("code = ?", code).First(&o).Error)
	must(t, s.a.DB.Where("order_id = ?", o.ID).Order("id").Find(&o.Items).Error)
	return &o
}

// validOrder is a delivery order: 2 tacos (harina, queso), 1 fiesta, 1 agua:
// subtotal $1,310.50, fee $30.00, total $1,340.50.
func (s *shop) validOrder() map[string]any {
	return map[string]any{
		"items": []map[string]any{
			{"product_id": s.taco.ID, "quantity": 2, "options": []int64{s.queso, s.harina}},
			{"product_id": s.fiesta.ID, "quantity": 1, "options": []int64{}},
			{"product_id": s.agua.ID, "quantity": 1},
		},
		"customer":       map[string]any{"name": "Ana López", "phone": "55 9876 5432"},
		"fulfillment":    "delivery",
		"address":        "Calle 5 #10, Centro",
		"payment_method": "transfer",
		"notes":          "Sin cebolla",
	}
}

// postJSON posts body (a value, or a string sent as is) like cart.js does:
// from the store's own page, with the page's CSRF token.
func postJSON(t *testing.T, c *testkit.Client, path string, body any) *testkit.Response {
	t.Helper()
	raw, ok := body.(string)
	if !ok {
		b, err := json.Marshal(body)
		must(t, err)
		raw = string(b)
	}
	req, err := http.NewRequest(http.MethodPost, testkit.BaseURL+path, bytes.NewReader([]byte(raw)))
	must(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRF())
	req.Header.Set("Origin", testkit.BaseURL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Do(req)
}

// placed is the 201 answer of POST /{slug}/orders.
type placed struct {
	Code        string `json:"code"`
	WhatsAppURL string `json:"whatsapp_url"`
	TotalCents  int64  `json:"total_cents"`
	TrackingURL string `json:"tracking_url"`
	StoreOpen   *bool  `json:"store_open"`
}

func (s *shop) place(t *testing.T, c *testkit.Client, body map[string]any) placed {
	t.Helper()
	r := postJSON(t, c, "/"+s.biz.Slug+"/orders", body)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("place order: %d\n%s", r.StatusCode, r.Body)
	}
	var p placed
	must(t, json.Unmarshal([]byte(r.Body), &p))
	return p
}

func TestCartPageCarriesTheStoreSettings(t *testing.T) {
	s := newShop(t)
	r := s.a.Client().Get("/tacos/cart")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("cart: %d\n%s", r.StatusCode, r.Body)
	}
	body := html.UnescapeString(r.Body)
	for _, want := range []string{
		`data-cart`, `data-slug="tacos"`, `data-delivery-fee="3000"`, `data-delivery-min="10000"`,
		`data-cart-nojs`, "El carrito necesita JavaScript", `href="/tacos"`,
		`name="fulfillment" value="pickup"`, `name="fulfillment" value="delivery"`, "Recoges en: Av. Juárez 12, Puebla",
		"Envío a domicilio: $30.00, con pedido mínimo de $100.00.", `data-address-field`,
		`name="payment_method" value="cash"`, "Llevamos cambio de $500", `name="payment_method" value="transfer"`,
		"Manda tu comprobante", "El pedido mínimo para envío a domicilio es de $100.00.",
		`<meta name="robots" content="noindex">`, "Pedir por WhatsApp", `data-line-template`,
		`data-s-price-changed="El precio cambió: antes {old}, ahora {new}."`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("cart page lacks %q", want)
		}
	}
	if strings.Contains(body, `value="card_on_delivery"`) {
		t.Error("cart offers a payment method the store does not accept")
	}
	if strings.Contains(r.Body, "<script>") || strings.Contains(r.Body, " onclick=") || strings.Contains(r.Body, " style=") {
		t.Error("inline script, handler or style on the cart page")
	}

	// Pickup and cash only: nothing about delivery, and the only choices are preselected.
	s.update(t, map[string]any{"delivery_enabled": false, "pay_transfer": false})
	body = html.UnescapeString(s.a.Client().Get("/tacos/cart").Body)
	if strings.Contains(body, `value="delivery"`) || strings.Contains(body, "data-address-field") || strings.Contains(body, `value="transfer"`) {
		t.Error("cart offers delivery or transfer the store turned off")
	}
	if !strings.Contains(body, `value="pickup" required checked`) || !strings.Contains(body, `value="cash" required checked`) {
		t.Error("the only fulfilment and payment are not preselected")
	}
}

func TestClosedStoreStillTakesOrders(t *testing.T) {
	s := newShop(t)
	// Monday 09:04 in Mexico City: closed until 17:00, taking orders for later.
	s.setHours(t, domain.DayHours{Open: true, Opens: "17:00", Closes: "22:00"})
	c := s.a.Client()
	if body := html.UnescapeString(c.Get("/tacos/cart").Body); !strings.Contains(body, "La tienda está cerrada en este momento. Puedes enviar tu pedido") {
		t.Error("the cart does not say the store is closed")
	}
	p := s.place(t, c, s.validOrder())
	if p.StoreOpen == nil || *p.StoreOpen {
		t.Fatalf("store_open = %v, want false", p.StoreOpen)
	}
	if s.orders(t) != 1 {
		t.Fatal("order of a closed store not stored")
	}
}

func TestTrackingPage(t *testing.T) {
	s := newShop(t)
	c := s.a.Client()
	p := s.place(t, c, s.validOrder())
	path := strings.TrimPrefix(p.TrackingURL, testkit.BaseURL)
	if path != "/tacos/o/"+p.Code {
		t.Fatalf("tracking URL %s", p.TrackingURL)
	}

	r := s.a.Client().Get(path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("tracking: %d\n%s", r.StatusCode, r.Body)
	}
	body := html.UnescapeString(r.Body)
	for _, want := range []string{
		"Pedido " + p.Code, `data-status="pending"`, "Recibido", "La tienda recibió tu pedido y te lo confirmará por WhatsApp.",
		"Taco al pastor", "Tortilla: Harina", "Extras: Queso", "$90.00", "Paquete fiesta", "$1,200.00", "$20.50",
		"Subtotal", "$1,310.50", "$30.00", "$1,340.50", "Envío a domicilio", "Transferencia", "Manda tu comprobante",
		"002180700971960012", "Banamex", "Guadalupe Pérez", "Sin cebolla",
		"Hecho el 02/03/2026 09:04", // 15:04 UTC in Mexico City
		`<meta name="robots" content="noindex">`, "Enviar pedido por WhatsApp", "https://wa.me/525512345678?text=",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("tracking page lacks %q", want)
		}
	}
	if strings.Contains(body, "9876") || strings.Contains(body, "Calle 5 #10") {
		t.Error("tracking page shows the shopper's phone or address")
	}
	if got := r.Header.Get("X-Robots-Tag"); !strings.Contains(got, "noindex") {
		t.Errorf("X-Robots-Tag %q", got)
	}
	if got := r.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q", got)
	}

	// The owner confirms it: the page says so and offers to message the store.
	must(t, s.a.DB.Model(&domain.Order{}).Where("code = ?", p.Code).Update("status", domain.OrderConfirmed).Error)
	body = html.UnescapeString(s.a.Client().Get(path).Body)
	if !strings.Contains(body, "Confirmado") || !strings.Contains(body, "La tienda confirmó tu pedido") || !strings.Contains(body, "Escribir a la tienda") {
		t.Errorf("confirmed order page:\n%s", body)
	}

	// Codes are not case-sensitive; unknown, malformed and other stores' codes are 404.
	if r := s.a.Client().Get("/tacos/o/" + strings.ToLower(p.Code)); r.StatusCode != http.StatusOK {
		t.Errorf("lower-case code: %d", r.StatusCode)
	}
	s.a.Order(s.other.ID, &domain.Order{Code: "WXYZ2345", Status: domain.OrderPending, CustomerName: "Beto", SubtotalCents: 100})
	for _, path := range []string{"/tacos/o/ZZZZ2345", "/tacos/o/abc", "/tacos/o/WXYZ2345", "/otra/o/" + p.Code, "/nadie/o/" + p.Code} {
		if r := s.a.Client().Get(path); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, r.StatusCode)
		}
	}
	if r := s.a.Client().Get("/otra/o/WXYZ2345"); r.StatusCode != http.StatusOK {
		t.Errorf("other store's own order: %d", r.StatusCode)
	}
}

var waLink = regexp.MustCompile(`href="(https://wa\.me/[^"]+)"`)

func TestCheckoutWithoutJavaScript(t *testing.T) {
	s := newShop(t)
	c := s.a.Client()

	// The product page's form posts the item to the checkout page.
	item := url.Values{
		"product_id": {fmt.Sprint(s.taco.ID)}, "quantity": {"2"},
		"options": {fmt.Sprint(s.harina), fmt.Sprint(s.queso), ""},
	}
	r := c.PostForm("/tacos/checkout", item)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("checkout: %d\n%s", r.StatusCode, r.Body)
	}
	body := html.UnescapeString(r.Body)
	for _, want := range []string{
		"Confirma tu pedido", "2 ×", "Taco al pastor", "Tortilla: Harina (+$5.00)", "Extras: Queso (+$15.00)",
		"$45.00 c/u", "$90.00", `action="/tacos/checkout/confirm"`, `name="_csrf"`,
		fmt.Sprintf(`name="product_id" value="%d"`, s.taco.ID), `name="quantity" value="2"`,
		fmt.Sprintf(`name="options" value="%d"`, s.harina), fmt.Sprintf(`name="options" value="%d"`, s.queso),
		`name="name"`, `name="phone"`, `value="pickup"`, `value="delivery"`, `name="address"`, `value="cash"`,
		`value="transfer"`, "Manda tu comprobante", `name="notes"`, "Pedir por WhatsApp", `href="/tacos/p/taco-al-pastor"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("checkout page lacks %q", want)
		}
	}
	if strings.Contains(body, `value="card_on_delivery"`) {
		t.Error("checkout offers card on delivery")
	}

	form := func(extra url.Values) url.Values {
		v := url.Values{}
		for k, vs := range item {
			v[k] = vs
		}
		for k, vs := range extra {
			v[k] = vs
		}
		return v
	}

	// Bad input shows the page again with 400, the messages and what was typed.
	r = c.PostForm("/tacos/checkout/confirm", form(url.Values{
		"name": {""}, "phone": {"55 9876 5432"}, "fulfillment": {"delivery"}, "address": {""}, "payment_method": {"cash"},
		"notes": {"Sin cebolla"},
	}))
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("invalid confirm: %d\n%s", r.StatusCode, r.Body)
	}
	body = html.UnescapeString(r.Body)
	for _, want := range []string{"Revisa los datos de tu pedido.", "Este campo es obligatorio.", `value="55 9876 5432"`, "Sin cebolla", `value="delivery" required checked`, "Taco al pastor", "$90.00"} {
		if !strings.Contains(body, want) {
			t.Errorf("re-rendered checkout lacks %q", want)
		}
	}
	if s.orders(t) != 0 {
		t.Fatal("an invalid order was stored")
	}

	// Below the delivery minimum: an item error shown at the top.
	r = c.PostForm("/tacos/checkout/confirm", url.Values{
		"product_id": {fmt.Sprint(s.agua.ID)}, "quantity": {"1"}, "name": {"Ana"}, "phone": {"55 9876 5432"},
		"fulfillment": {"delivery"}, "address": {"Calle 5"}, "payment_method": {"cash"},
	})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(r.Body), "El pedido mínimo para envío a domicilio es de $100.00.") {
		t.Fatalf("below minimum: %d\n%s", r.StatusCode, r.Body)
	}

	// A valid form places the order and redirects to its page with the WhatsApp button.
	r = c.PostForm("/tacos/checkout/confirm", form(url.Values{
		"name": {"Ana López"}, "phone": {"55 9876 5432"}, "fulfillment": {"pickup"}, "payment_method": {"cash"},
		"address": {"ignored for pickup"},
	}))
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d\n%s", r.StatusCode, r.Body)
	}
	loc := r.Header.Get("Location")
	m := regexp.MustCompile(`^/tacos/o/([A-Z0-9]{8})\?placed=1$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("redirect to %q", loc)
	}
	o := s.order(t, m[1])
	if o.TotalCents != 9000 || o.DeliveryFeeCents != 0 || o.Fulfillment != domain.FulfillmentPickup || o.Address != "" ||
		len(o.Items) != 1 || o.Items[0].Quantity != 2 || o.Items[0].UnitPriceCents != 4500 || o.CustomerPhone != "+525598765432" {
		t.Fatalf("order %+v", o)
	}
	r = c.Get(loc)
	body = html.UnescapeString(r.Body)
	if r.StatusCode != http.StatusOK || !strings.Contains(body, "¡Pedido registrado!") || !strings.Contains(body, "Abrir WhatsApp") {
		t.Fatalf("confirmation page: %d\n%s", r.StatusCode, body)
	}
	link := waLink.FindStringSubmatch(r.Body)
	if link == nil {
		t.Fatal("no wa.me link on the confirmation page")
	}
	u, err := url.Parse(html.UnescapeString(link[1]))
	must(t, err)
	text := u.Query().Get("text")
	if u.Path != "/525512345678" || !strings.Contains(text, "2 × Taco al pastor (Tortilla: Harina; Extras: Queso) — $90.00") ||
		!strings.Contains(text, "Pedido "+o.Code) || !strings.Contains(text, "Entrega: Recoger en tienda") {
		t.Fatalf("wa.me link %s\n%s", u.Path, text)
	}
}

func TestCheckoutRefusesAnItemThatCannotBeOrdered(t *testing.T) {
	s := newShop(t)
	c := s.a.Client()
	for name, tc := range map[string]struct {
		values url.Values
		want   string
	}{
		"no tortilla": {url.Values{"product_id": {fmt.Sprint(s.taco.ID)}, "quantity": {"1"}}, "Elige al menos 1 en «Tortilla»."},
		"sold out":    {url.Values{"product_id": {fmt.Sprint(s.soldOut.ID)}, "quantity": {"1"}}, "Este producto está agotado."},
		"hidden":      {url.Values{"product_id": {fmt.Sprint(s.hidden.ID)}, "quantity": {"1"}}, "Este producto ya no está en la tienda."},
		"other store": {url.Values{"product_id": {fmt.Sprint(s.otherProduct.ID)}, "quantity": {"1"}}, "Este producto ya no está en la tienda."},
		"quantity":    {url.Values{"product_id": {fmt.Sprint(s.agua.ID)}, "quantity": {"100"}}, "La cantidad debe ser de 1 a 99."},
	} {
		r := c.PostForm("/tacos/checkout", tc.values)
		body := html.UnescapeString(r.Body)
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, tc.want) || strings.Contains(body, "/checkout/confirm") {
			t.Errorf("%s: %d, want 400 with %q and no order form\n%s", name, r.StatusCode, tc.want, body)
		}
	}
}
