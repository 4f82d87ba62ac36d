package store_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/qubly/qubly/testkit"
)

// With no delivery or payment chosen, the messages say what to do, in the
// store's language, from the service (so every client gets them).
func TestOrderWithNothingChosenSaysWhatToChoose(t *testing.T) {
	s := newShop(t)
	for _, tc := range []struct {
		lang, fulfillment, payment string
	}{
		{"es", "Elige cómo quieres recibir tu pedido.", "Elige cómo vas a pagar."},
		{"en", "Choose how you want to get your order.", "Choose how you will pay."},
	} {
		s.update(t, map[string]any{"language": tc.lang})
		body := s.validOrder()
		delete(body, "fulfillment")
		body["payment_method"] = ""
		r := postJSON(t, s.a.Client(), "/tacos/orders", body)
		var ans struct {
			Fields map[string]string `json:"fields"`
		}
		must(t, json.Unmarshal([]byte(r.Body), &ans))
		if r.StatusCode != http.StatusBadRequest || ans.Fields["fulfillment"] != tc.fulfillment || ans.Fields["payment_method"] != tc.payment {
			t.Fatalf("%s: %d %v", tc.lang, r.StatusCode, ans.Fields)
		}
		// A value the store does not offer still says so.
		body["fulfillment"], body["payment_method"] = "drone", "bitcoin"
		r = postJSON(t, s.a.Client(), "/tacos/orders", body)
		must(t, json.Unmarshal([]byte(r.Body), &ans))
		if ans.Fields["fulfillment"] == tc.fulfillment || ans.Fields["payment_method"] == tc.payment {
			t.Fatalf("%s: unknown values answered as missing: %v", tc.lang, ans.Fields)
		}
	}
	// The no-JavaScript checkout shows the same words by the fields.
	s.update(t, map[string]any{"language": "es"})
	r := s.a.Client().PostForm("/tacos/checkout/confirm", url.Values{
		"product_id": {fmt.Sprint(s.agua.ID)}, "quantity": {"5"}, "name": {"Ana"}, "phone": {"55 9876 5432"},
	})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Elige cómo quieres recibir tu pedido.") ||
		!strings.Contains(r.Body, "Elige cómo vas a pagar.") {
		t.Fatalf("form checkout: %d\n%s", r.StatusCode, r.Body)
	}
	if n := s.orders(t); n != 0 {
		t.Fatalf("%d orders stored", n)
	}
}

// The product page tells the browser the stock and the option limits, and
// without JavaScript a refused item comes back to the product page with the
// shopper's choices kept and the message beside what to change.
func TestProductPageKnowsLimitsAndKeepsChoicesWhenRefused(t *testing.T) {
	s := newShop(t)
	tamal := s.product(s.biz.ID, "Tamal", testkit.Price(2000), testkit.Stock(40))
	gringa := s.product(s.biz.ID, "Gringa", testkit.Price(6000), testkit.OptionGroup("Extras", 0, 2,
		testkit.Choice("Piña", 500), testkit.Choice("Queso", 1000), testkit.Choice("Salsa", 0)))
	extras := gringa.Options[0].ID
	piña, queso, salsa := gringa.Options[0].Choices[0].ID, gringa.Options[0].Choices[1].ID, gringa.Options[0].Choices[2].ID
	s.a.Cache.PurgeStore(t.Context(), s.biz.ID)
	c := s.a.Client()

	r := c.Get("/tacos/p/tamal")
	if !strings.Contains(r.Body, `data-stock="40"`) || !strings.Contains(r.Body, `max="40" value="1"`) {
		t.Fatalf("product page does not carry the stock:\n%s", r.Body)
	}
	if r := c.Get("/tacos/catalog.json"); !strings.Contains(r.Body, `"name":"Tamal","slug":"tamal","price_cents":2000,"available":true,"stock":40`) {
		t.Fatalf("catalog.json does not carry the stock:\n%s", r.Body)
	}
	r = c.Get("/tacos/p/gringa")
	if !strings.Contains(r.Body, `data-group-name="Extras" data-min="0" data-max="2"`) {
		t.Fatalf("product page does not carry the option limits:\n%s", r.Body)
	}

	check := func(name string, values url.Values, path string, want ...string) {
		t.Helper()
		r := c.PostForm("/tacos/checkout", values)
		if r.StatusCode != http.StatusBadRequest {
			t.Fatalf("%s: %d, want 400\n%s", name, r.StatusCode, r.Body)
		}
		for _, w := range append(want, `data-add-to-cart`, `<link rel="canonical" href="http://qubly.test`+path+`">`) {
			if !strings.Contains(html.UnescapeString(r.Body), w) {
				t.Errorf("%s: page lacks %q", name, w)
			}
		}
		if strings.Contains(r.Body, "/checkout/confirm") {
			t.Errorf("%s: refused item offered the order form", name)
		}
	}
	check("more than the stock", url.Values{"product_id": {fmt.Sprint(tamal.ID)}, "quantity": {"45"}}, "/tacos/p/tamal",
		`value="45"`, `aria-invalid="true"`,
		`<p class="field-error" id="qty-error" data-qty-error role="alert">Solo quedan 40 piezas de este producto. Baja la cantidad a 40 o menos.</p>`)
	check("three extras of two", url.Values{"product_id": {fmt.Sprint(gringa.ID)}, "quantity": {"2"},
		"options": {fmt.Sprint(piña), fmt.Sprint(queso), fmt.Sprint(salsa)}}, "/tacos/p/gringa",
		`value="2" id="qty"`,
		fmt.Sprintf(`id="og-err-%d" data-group-error role="alert">Elige como máximo 2 en «Extras».</p>`, extras),
		fmt.Sprintf(`value="%d" data-delta-cents="500" data-group-id="%d" class="size-5" checked`, piña, extras),
		fmt.Sprintf(`value="%d" data-delta-cents="0" data-group-id="%d" class="size-5" checked`, salsa, extras))
	check("no tortilla", url.Values{"product_id": {fmt.Sprint(s.taco.ID)}, "quantity": {"3"}, "options": {fmt.Sprint(s.queso)}},
		"/tacos/p/taco-al-pastor", "Elige al menos 1 en «Tortilla».", `value="3" id="qty"`,
		fmt.Sprintf(`value="%d" data-delta-cents="1500"`, s.queso))
	if n := s.orders(t); n != 0 {
		t.Fatalf("%d orders stored", n)
	}
	// Within the limits the checkout page takes the item.
	r = c.PostForm("/tacos/checkout", url.Values{"product_id": {fmt.Sprint(tamal.ID)}, "quantity": {"40"}})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "/checkout/confirm") {
		t.Fatalf("40 of 40: %d\n%s", r.StatusCode, r.Body)
	}
}

// Without JavaScript, a double tap on "Pedir por WhatsApp" (or a resend
// after a lost answer) places one order: the checkout page carries one key.
func TestCheckoutWithoutJavaScriptOrdersOnceOnADoubleTap(t *testing.T) {
	s := newShop(t)
	c := s.a.Client()
	item := url.Values{"product_id": {fmt.Sprint(s.agua.ID)}, "quantity": {"5"}}
	r := c.PostForm("/tacos/checkout", item)
	m := regexp.MustCompile(`name="idempotency_key" value="([0-9a-f]{32})"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("checkout page has no idempotency key:\n%s", r.Body)
	}
	// A mistake first: the page comes back with the same key.
	form := url.Values{"product_id": {fmt.Sprint(s.agua.ID)}, "quantity": {"5"}, "idempotency_key": {m[1]},
		"name": {"Ana"}, "phone": {"55 9876 5432"}, "fulfillment": {"pickup"}}
	r = c.PostForm("/tacos/checkout/confirm", form)
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, `name="idempotency_key" value="`+m[1]+`"`) {
		t.Fatalf("refused form: %d, key kept: %v", r.StatusCode, strings.Contains(r.Body, m[1]))
	}
	form.Set("payment_method", "cash")
	var where []string
	for range 2 {
		r = c.PostForm("/tacos/checkout/confirm", form)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirm: %d\n%s", r.StatusCode, r.Body)
		}
		where = append(where, r.Header.Get("Location"))
	}
	if where[0] != where[1] || !strings.Contains(where[0], "/tacos/o/") {
		t.Fatalf("the two taps went to %v", where)
	}
	if n := s.orders(t); n != 1 {
		t.Fatalf("%d orders stored, want 1", n)
	}
}

// A shopper paying cash can say what they pay with; the message to the
// store carries it as the shopper's choice ("Pago: Efectivo, pago con
// $500.00"), never the store's own cash note.
func TestCashOrderSaysWhatTheShopperPaysWith(t *testing.T) {
	s := newShop(t, testkit.WithEnv("PROXY_HEADER", "X-Client-IP"))
	order := func(ip, payment, cash string) *testkit.Response {
		c := s.a.Client()
		c.Header.Set("X-Client-IP", ip)
		return postJSON(t, c, "/tacos/orders", map[string]any{
			"items":    []map[string]any{{"product_id": s.agua.ID, "quantity": 5}}, // $102.50
			"customer": map[string]any{"name": "Ana", "phone": "55 9876 5432"}, "fulfillment": "pickup",
			"payment_method": payment, "cash_tendered": cash,
		})
	}
	for _, tc := range []struct{ cash, msg string }{
		{"100", "Con $100.00 no alcanza: el total es $102.50."},
		{"cien", "Escribe con cuánto pagas en pesos, por ejemplo 500."},
		{"50000", "$50,000.00 es mucho más que el total ($102.50)."},
	} {
		r := order("10.2.0.1", "cash", tc.cash)
		var ans struct {
			Fields map[string]string `json:"fields"`
		}
		must(t, json.Unmarshal([]byte(r.Body), &ans))
		if r.StatusCode != http.StatusBadRequest || !strings.HasPrefix(ans.Fields["cash_tendered"], tc.msg) {
			t.Fatalf("cash %q: %d %v", tc.cash, r.StatusCode, ans.Fields)
		}
	}
	if n := s.orders(t); n != 0 {
		t.Fatalf("%d orders stored", n)
	}

	r := order("10.2.0.2", "cash", "$500")
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("cash 500: %d\n%s", r.StatusCode, r.Body)
	}
	var p placed
	must(t, json.Unmarshal([]byte(r.Body), &p))
	o := s.order(t, p.Code)
	if o.CashTenderedCents == nil || *o.CashTenderedCents != 50000 {
		t.Fatalf("stored cash %v", o.CashTenderedCents)
	}
	u, err := url.Parse(p.WhatsAppURL)
	must(t, err)
	text := u.Query().Get("text")
	if !strings.Contains(text, "Pago: Efectivo, pago con $500.00\n") || strings.Contains(text, "Llevamos cambio") {
		t.Fatalf("message:\n%s", text)
	}
	// The tracking page tells the shopper the change, and the store's note.
	page := html.UnescapeString(s.a.Client().Get("/tacos/o/" + p.Code).Body)
	if !strings.Contains(page, "Pagas con $500.00; tu cambio: $397.50.") || !strings.Contains(page, "Llevamos cambio de $500") {
		t.Fatalf("tracking page lacks the cash line or the store's note")
	}

	// Paying by transfer, a cash amount means nothing and is not kept.
	r = order("10.2.0.3", "transfer", "500")
	must(t, json.Unmarshal([]byte(r.Body), &p))
	if o := s.order(t, p.Code); r.StatusCode != http.StatusCreated || o.CashTenderedCents != nil {
		t.Fatalf("transfer with cash: %d %v", r.StatusCode, o.CashTenderedCents)
	}
}
