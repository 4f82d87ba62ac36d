package store_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestCatalogJSON(t *testing.T) {
	s := newShop(t)
	cat := s.a.Category(s.biz.ID, "Tacos")
	must(t, s.a.DB.Model(s.taco).Update("category_id", cat.ID).Error)
	s.a.Photo(s.taco, s.a.Image(s.biz.ID, "b/abc123", "jpeg", 1600, 1200), 0)
	s.a.Cache.PurgeStore(t.Context(), s.biz.ID)

	r := s.a.Client().Get("/tacos/catalog.json")
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("catalog: %d %s\n%s", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
	}
	var raw map[string]any
	must(t, json.Unmarshal([]byte(r.Body), &raw))
	if got := keys(raw); !reflect.DeepEqual(got, []string{"products"}) {
		t.Fatalf("top-level keys %v", got)
	}
	products := raw["products"].([]any)
	var names []string
	for _, p := range products {
		p := p.(map[string]any)
		names = append(names, p["name"].(string))
		if got := keys(p); !reflect.DeepEqual(got, []string{"available", "category", "id", "image", "name", "options", "price_cents", "slug", "stock"}) {
			t.Errorf("product keys %v", got)
		}
		if _, ok := p["options"].([]any); !ok {
			t.Errorf("%s: options is %T, want a list", p["name"], p["options"])
		}
	}
	// Store order; hidden, deleted and other stores' products left out.
	if want := []string{"Taco al pastor", "Paquete fiesta", "Agua de horchata", "Pozole"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("products %v, want %v", names, want)
	}

	var typed struct {
		Products []struct {
			ID         int64   `json:"id"`
			Name       string  `json:"name"`
			Slug       string  `json:"slug"`
			PriceCents int64   `json:"price_cents"`
			Available  bool    `json:"available"`
			Category   *string `json:"category"`
			Image      *string `json:"image"`
			Options    []struct {
				Group   string `json:"group"`
				Min     int    `json:"min"`
				Max     int    `json:"max"`
				Choices []struct {
					ID         int64  `json:"id"`
					Name       string `json:"name"`
					DeltaCents int64  `json:"delta_cents"`
				} `json:"choices"`
			} `json:"options"`
		} `json:"products"`
	}
	must(t, json.Unmarshal([]byte(r.Body), &typed))
	taco, agua, pozole := typed.Products[0], typed.Products[2], typed.Products[3]
	if taco.ID != s.taco.ID || taco.Slug != "taco-al-pastor" || taco.PriceCents != 2500 || !taco.Available ||
		taco.Category == nil || *taco.Category != "Tacos" || taco.Image == nil || *taco.Image != "/media/b/abc123-400.jpg" {
		t.Errorf("taco %+v", taco)
	}
	if len(taco.Options) != 2 || taco.Options[0].Group != "Tortilla" || taco.Options[0].Min != 1 || taco.Options[0].Max != 1 ||
		taco.Options[1].Group != "Extras" || taco.Options[1].Min != 0 || taco.Options[1].Max != 2 {
		t.Fatalf("taco options %+v", taco.Options)
	}
	if c := taco.Options[0].Choices; len(c) != 2 || c[0].ID != s.maiz || c[0].Name != "Maíz" || c[0].DeltaCents != 0 ||
		c[1].ID != s.harina || c[1].DeltaCents != 500 {
		t.Errorf("tortilla choices %+v", c)
	}
	if c := taco.Options[1].Choices; len(c) != 2 || c[0].ID != s.queso || c[0].DeltaCents != 1500 || c[1].ID != s.guacamole {
		t.Errorf("extras choices %+v", c)
	}
	if agua.PriceCents != 2050 || agua.Category != nil || agua.Image != nil || len(agua.Options) != 0 || !agua.Available {
		t.Errorf("agua %+v", agua)
	}
	if pozole.Available {
		t.Error("sold-out product available")
	}
	if !strings.Contains(r.Body, `"stock":null`) {
		t.Errorf("uncounted stock is not null:\n%s", r.Body)
	}
	if !strings.Contains(r.Body, `"category":null`) || !strings.Contains(r.Body, `"image":null`) || !strings.Contains(r.Body, `"options":[]`) {
		t.Errorf("missing values are not null / []:\n%s", r.Body)
	}

	if r := s.a.Client().Get("/nadie/catalog.json"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown store: %d", r.StatusCode)
	}
}

var orderCode = regexp.MustCompile(`^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}$`)

func TestCreateOrder(t *testing.T) {
	s := newShop(t)
	c := s.a.Client()
	r := postJSON(t, c, "/tacos/orders", s.validOrder())
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
	}
	var raw map[string]any
	must(t, json.Unmarshal([]byte(r.Body), &raw))
	for _, k := range []string{"code", "whatsapp_url", "total_cents", "tracking_url"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("answer lacks %q: %s", k, r.Body)
		}
	}
	var p placed
	must(t, json.Unmarshal([]byte(r.Body), &p))
	if !orderCode.MatchString(p.Code) || p.TotalCents != 134050 || p.TrackingURL != testkit.BaseURL+"/tacos/o/"+p.Code {
		t.Fatalf("answer %+v", p)
	}

	// Stored with the server's prices.
	o := s.order(t, p.Code)
	if o.BusinessID != s.biz.ID || o.Status != domain.OrderPending || o.SubtotalCents != 131050 || o.DeliveryFeeCents != 3000 ||
		o.TotalCents != 134050 || o.CustomerName != "Ana López" || o.CustomerPhone != "+525598765432" ||
		o.Fulfillment != domain.FulfillmentDelivery || o.Address != "Calle 5 #10, Centro" || o.PaymentMethod != domain.PaymentTransfer ||
		o.Notes != "Sin cebolla" || o.Language != "es" {
		t.Fatalf("order %+v", o)
	}
	if len(o.Items) != 3 || o.Items[0].UnitPriceCents != 4500 || o.Items[0].LineTotalCents != 9000 || len(o.Items[0].Options) != 2 ||
		o.Items[1].LineTotalCents != 120000 || o.Items[2].LineTotalCents != 2050 {
		t.Fatalf("items %+v", o.Items)
	}

	// The wa.me link writes the whole order to the store's number.
	if !strings.HasPrefix(p.WhatsAppURL, "https://wa.me/525512345678?text=") {
		t.Fatalf("whatsapp_url %s", p.WhatsAppURL)
	}
	rawText := strings.TrimPrefix(p.WhatsAppURL, "https://wa.me/525512345678?text=")
	if strings.ContainsAny(rawText, "+ \n") || !strings.Contains(rawText, "%20") || !strings.Contains(rawText, "%0A") {
		t.Errorf("text not encoded for WhatsApp: %s", rawText)
	}
	u, err := url.Parse(p.WhatsAppURL)
	must(t, err)
	text := u.Query().Get("text")
	for _, want := range []string{
		"2 × Taco al pastor (Tortilla: Harina; Extras: Queso) — $90.00",
		"1 × Paquete fiesta — $1,200.00",
		"1 × Agua de horchata — $20.50",
		"Subtotal: $1,310.50", "Envío: $30.00", "Total: $1,340.50",
		"Entrega: Envío a domicilio", "Dirección: Calle 5 #10, Centro",
		"Pago: Transferencia\n", "Notas: Sin cebolla", "Nombre: Ana López",
		"Pedido " + p.Code, "Ver el pedido: " + p.TrackingURL,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("message lacks %q:\n%s", want, text)
		}
	}
}

func TestCreateOrderIgnoresClientPrices(t *testing.T) {
	s := newShop(t)
	body := s.validOrder()
	items := body["items"].([]map[string]any)
	for _, it := range items {
		it["price_cents"], it["unit_price_cents"], it["line_total_cents"] = 1, 1, 1
	}
	body["total_cents"], body["subtotal_cents"], body["delivery_fee_cents"], body["price_cents"] = 1, 1, 0, 1
	p := s.place(t, s.a.Client(), body)
	o := s.order(t, p.Code)
	if p.TotalCents != 134050 || o.TotalCents != 134050 || o.SubtotalCents != 131050 || o.DeliveryFeeCents != 3000 || o.Items[0].UnitPriceCents != 4500 {
		t.Fatalf("client prices used: answer %d, order %+v", p.TotalCents, o)
	}
}

func TestCreateOrderRefusesBadInput(t *testing.T) {
	// Each case comes from its own IP so the per-IP limit does not interfere.
	s := newShop(t, testkit.WithEnv("PROXY_HEADER", "X-Client-IP"))
	type change func(b map[string]any)
	item := func(b map[string]any) map[string]any { return b["items"].([]map[string]any)[0] }
	cases := []struct {
		name   string
		body   string // sent as is when set
		change change
		field  string
		msg    string
	}{
		{name: "malformed JSON", body: `{"items": [`, field: "body", msg: "No pudimos leer tu pedido."},
		{name: "not an object", body: `[1, 2]`, field: "body"},
		{name: "quantity not a number", body: `{"items":[{"product_id":1,"quantity":"2"}]}`, field: "body"},
		{name: "no items", change: func(b map[string]any) { b["items"] = []map[string]any{} }, field: "items", msg: "Agrega al menos un producto"},
		{name: "unknown product", change: func(b map[string]any) { item(b)["product_id"] = 999999 }, field: "items[0].product_id", msg: "Este producto ya no está en la tienda."},
		{name: "another store's product", change: func(b map[string]any) {
			item(b)["product_id"], item(b)["options"] = s.otherProduct.ID, []int64{}
		}, field: "items[0].product_id"},
		{name: "another store's option", change: func(b map[string]any) { item(b)["options"] = []int64{s.harina, s.otherChoice} }, field: "items[0].options"},
		{name: "required option missing", change: func(b map[string]any) { item(b)["options"] = []int64{s.queso} }, field: "items[0].options", msg: "Elige al menos 1 en «Tortilla»."},
		{name: "two tortillas", change: func(b map[string]any) {
			item(b)["options"] = []int64{s.maiz, s.harina}
		}, field: "items[0].options"},
		{name: "quantity zero", change: func(b map[string]any) { item(b)["quantity"] = 0 }, field: "items[0].quantity", msg: "La cantidad debe ser de 1 a 99."},
		{name: "quantity negative", change: func(b map[string]any) { item(b)["quantity"] = -3 }, field: "items[0].quantity"},
		{name: "quantity over 99", change: func(b map[string]any) { item(b)["quantity"] = 100 }, field: "items[0].quantity"},
		{name: "sold out", change: func(b map[string]any) {
			item(b)["product_id"], item(b)["options"] = s.soldOut.ID, []int64{}
		}, field: "items[0].product_id", msg: "Este producto está agotado."},
		{name: "hidden product", change: func(b map[string]any) {
			item(b)["product_id"], item(b)["options"] = s.hidden.ID, []int64{}
		}, field: "items[0].product_id"},
		{name: "deleted product", change: func(b map[string]any) {
			item(b)["product_id"], item(b)["options"] = s.deleted.ID, []int64{}
		}, field: "items[0].product_id"},
		{name: "delivery without address", change: func(b map[string]any) { b["address"] = "  " }, field: "address", msg: "Este campo es obligatorio."},
		{name: "below the delivery minimum", change: func(b map[string]any) {
			b["items"] = []map[string]any{{"product_id": s.agua.ID, "quantity": 1}}
		}, field: "items", msg: "El pedido mínimo para envío a domicilio es de $100.00."},
		{name: "no name", change: func(b map[string]any) { b["customer"] = map[string]any{"phone": "55 9876 5432"} }, field: "customer.name"},
		{name: "no phone", change: func(b map[string]any) { b["customer"] = map[string]any{"name": "Ana"} }, field: "customer.phone"},
		{name: "bad phone", change: func(b map[string]any) { b["customer"] = map[string]any{"name": "Ana", "phone": "123"} }, field: "customer.phone"},
		{name: "unknown fulfilment", change: func(b map[string]any) { b["fulfillment"] = "drone" }, field: "fulfillment"},
		{name: "payment the store refuses", change: func(b map[string]any) { b["payment_method"] = "card_on_delivery" }, field: "payment_method", msg: "La tienda no acepta esta forma de pago."},
		{name: "notes too long", change: func(b map[string]any) { b["notes"] = strings.Repeat("x", 501) }, field: "notes"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := s.a.Client()
			c.Header.Set("X-Client-IP", fmt.Sprintf("10.0.0.%d", i+1))
			var body any = tc.body
			if tc.body == "" {
				b := s.validOrder()
				tc.change(b)
				body = b
			}
			r := postJSON(t, c, "/tacos/orders", body)
			if r.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400\n%s", r.StatusCode, r.Body)
			}
			var ans struct {
				Error  string            `json:"error"`
				Fields map[string]string `json:"fields"`
			}
			if err := json.Unmarshal([]byte(r.Body), &ans); err != nil {
				t.Fatalf("%v\n%s", err, r.Body)
			}
			if ans.Error == "" || ans.Fields[tc.field] == "" {
				t.Fatalf("want an error on %s: %s", tc.field, r.Body)
			}
			if tc.msg != "" && !strings.Contains(ans.Fields[tc.field], tc.msg) {
				t.Errorf("%s: %q, want %q", tc.field, ans.Fields[tc.field], tc.msg)
			}
			if n := s.orders(t); n != 0 {
				t.Fatalf("%d orders stored", n)
			}
		})
	}
}

func TestCreateOrderInTheStoresLanguage(t *testing.T) {
	s := newShop(t)
	s.update(t, map[string]any{"language": "en"})
	c := s.a.Client()
	// The visitor's browser prefers Spanish; the store speaks English.
	c.Header.Set("Accept-Language", "es-MX")
	p := s.place(t, c, s.validOrder())
	u, err := url.Parse(p.WhatsAppURL)
	must(t, err)
	text := u.Query().Get("text")
	for _, want := range []string{
		"Hi, Store tacos! I would like to place this order:", "Order " + p.Code,
		"2 × Taco al pastor (Tortilla: Harina; Extras: Queso) — $90.00", "Subtotal: $1,310.50", "Delivery: $30.00",
		"Total: $1,340.50", "Fulfillment: Home delivery", "Address: Calle 5 #10, Centro",
		"Payment: Bank transfer\n", "Notes: Sin cebolla", "Name: Ana López", "See the order: " + p.TrackingURL,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("English message lacks %q:\n%s", want, text)
		}
	}
	if o := s.order(t, p.Code); o.Language != "en" {
		t.Errorf("order language %q", o.Language)
	}

	body := s.validOrder()
	body["items"].([]map[string]any)[0]["quantity"] = 0
	r := postJSON(t, c, "/tacos/orders", body)
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Quantity must be between 1 and 99.") ||
		!strings.Contains(r.Body, "Please check your order details.") {
		t.Fatalf("English errors: %d\n%s", r.StatusCode, r.Body)
	}
}

func TestCreateOrderIsRateLimited(t *testing.T) {
	s := newShop(t)
	c := s.a.Client()
	for i := range 20 {
		if r := postJSON(t, c, "/tacos/orders", `{}`); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("request %d: %d\n%s", i+1, r.StatusCode, r.Body)
		}
	}
	r := postJSON(t, c, "/tacos/orders", s.validOrder())
	if r.StatusCode != http.StatusTooManyRequests || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") ||
		r.Header.Get("Retry-After") == "" {
		t.Fatalf("21st request: %d %s\n%s", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
	}
	var ans map[string]any
	if err := json.Unmarshal([]byte(r.Body), &ans); err != nil {
		t.Fatalf("429 body %s: %v", r.Body, err)
	}
	if msg, _ := ans["error"].(string); msg == "" {
		t.Fatalf("429 body has no error message: %s", r.Body)
	}
	if s.orders(t) != 0 {
		t.Fatal("order stored past the limit")
	}
	// The no-JavaScript confirmation shares the limit.
	if r := c.PostForm("/tacos/checkout/confirm", url.Values{"product_id": {fmt.Sprint(s.agua.ID)}}); r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("form confirm past the limit: %d", r.StatusCode)
	}
}

func TestOrderWritesNeedCSRFProtection(t *testing.T) {
	s := newShop(t)
	c := s.a.Client()
	c.CSRF()
	// A page of another site posting to the store, without the token.
	crossSite := func(req *http.Request) *testkit.Response {
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		return c.Do(req)
	}
	b, _ := json.Marshal(s.validOrder())
	req, _ := http.NewRequest(http.MethodPost, testkit.BaseURL+"/tacos/orders", strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	if r := crossSite(req); r.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site JSON order: %d, want 403\n%s", r.StatusCode, r.Body)
	}
	form := url.Values{
		"product_id": {fmt.Sprint(s.agua.ID)}, "quantity": {"5"}, "name": {"Ana"}, "phone": {"55 9876 5432"},
		"fulfillment": {"pickup"}, "payment_method": {"cash"},
	}
	req, _ = http.NewRequest(http.MethodPost, testkit.BaseURL+"/tacos/checkout/confirm", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := crossSite(req); r.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site form order: %d, want 403", r.StatusCode)
	}
	if s.orders(t) != 0 {
		t.Fatal("a cross-site request placed an order")
	}
}
