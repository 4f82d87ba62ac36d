package e2e

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// shopperEnv is the demo store in a phone-sized browser that records script
// errors and the wa.me links the page opens.
type shopperEnv struct {
	t   *testing.T
	srv *server
	biz *domain.Business
	b   context.Context
	// seeded is the last order the demo seeding placed: orders() counts
	// only the test's own.
	seeded int64

	mu         sync.Mutex
	exceptions []string
	whatsapp   []string
}

func newShopperEnv(t *testing.T, width, height int, opts ...testkit.AppOption) *shopperEnv {
	t.Helper()
	srv := startServerWith(t, opts...)
	ctx := context.Background()
	if _, err := srv.Demo.Seed(ctx, "demo-shopper"); err != nil {
		t.Fatal(err)
	}
	biz, err := srv.Repos.Businesses.GetBySlug(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	e := &shopperEnv{t: t, srv: srv, biz: biz, b: newBrowser(t, width, height)}
	if err := srv.DB.Model(&domain.Order{}).Where("business_id = ?", biz.ID).
		Select("COALESCE(MAX(id), 0)").Scan(&e.seeded).Error; err != nil {
		t.Fatal(err)
	}
	// Open whatever the clock says: these tests are about ordering.
	e.exec(`UPDATE businesses SET hours = ?, closed_now = ? WHERE id = ?`, "[]", false, biz.ID)
	chromedp.ListenTarget(e.b, func(ev any) {
		e.mu.Lock()
		defer e.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			e.exceptions = append(e.exceptions, msg)
		case *network.EventRequestWillBeSent:
			// The page's navigations only: the WhatsApp page's favicon is not one.
			if strings.HasPrefix(ev.Request.URL, "https://wa.me/") && ev.Type == network.ResourceTypeDocument {
				e.whatsapp = append(e.whatsapp, ev.Request.URL)
			}
		}
	})
	e.run("start", runtime.Enable(), network.Enable())
	t.Cleanup(func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if len(e.exceptions) > 0 {
			t.Errorf("the page threw: %v", e.exceptions)
		}
	})
	return e
}

// exec changes the demo data behind the app's back and purges its caches.
func (e *shopperEnv) exec(sql string, args ...any) {
	e.t.Helper()
	if err := e.srv.DB.Exec(sql, args...).Error; err != nil {
		e.t.Fatal(err)
	}
	e.srv.Cache.PurgeStore(context.Background(), e.biz.ID)
}

func (e *shopperEnv) run(step string, actions ...chromedp.Action) {
	e.t.Helper()
	if err := chromedp.Run(e.b, actions...); err != nil {
		var body string
		chromedp.Run(e.b, chromedp.OuterHTML("main", &body, chromedp.ByQuery))
		e.t.Fatalf("%s: %v\n%.3000s", step, err, body)
	}
}

// eval returns the value of a JavaScript expression.
func (e *shopperEnv) eval(expr string) string {
	e.t.Helper()
	var out any
	e.run("eval "+expr, chromedp.Evaluate(expr, &out))
	return fmt.Sprint(out)
}

// open navigates to path and waits for the page's scripts to have run.
func (e *shopperEnv) open(path string) {
	e.t.Helper()
	e.run("open "+path, chromedp.Navigate(e.srv.URL+path))
	waitFor(e.t, path+" loaded", func() bool {
		var state string
		return chromedp.Run(e.b, chromedp.Evaluate(`document.readyState`, &state)) == nil && state == "complete"
	})
}

// visibleText is the text of the first element matching sel when it is
// shown, or "".
func (e *shopperEnv) visibleText(sel string) string {
	e.t.Helper()
	return e.eval(fmt.Sprintf(`(() => { const el = document.querySelector(%q);
		return el && !el.hidden && el.offsetParent !== null ? el.textContent.trim() : ""; })()`, sel))
}

// inViewport reports whether the element matching sel is on screen.
func (e *shopperEnv) inViewport(sel string) bool {
	return e.eval(fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect();
		return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; })()`, sel)) == "true"
}

func (e *shopperEnv) cartCount() string {
	return e.eval(`(document.querySelector("[data-cart-count]")?.textContent || "").trim() || "0"`)
}

func (e *shopperEnv) orders() int64 {
	var n int64
	if err := e.srv.DB.Model(&domain.Order{}).Where("business_id = ? AND id > ?", e.biz.ID, e.seeded).Count(&n).Error; err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *shopperEnv) productID(name string) int64 {
	var p domain.Product
	if err := e.srv.DB.Where("business_id = ? AND name = ?", e.biz.ID, name).First(&p).Error; err != nil {
		e.t.Fatalf("product %s: %v", name, err)
	}
	return p.ID
}

// fillCheckout types the shopper's details on the cart page.
func (e *shopperEnv) fillCheckout() {
	e.run("fill the checkout",
		chromedp.Evaluate(`for (const n of ["name", "phone"]) document.querySelector('[data-checkout-form] [name="' + n + '"]').value = ""`, nil),
		chromedp.SendKeys(`[data-checkout-form] [name="name"]`, "Ana López", chromedp.ByQuery),
		chromedp.SendKeys(`[data-checkout-form] [name="phone"]`, "55 9876 5432", chromedp.ByQuery),
		chromedp.Click(`[data-checkout-form] input[name="fulfillment"][value="pickup"]`, chromedp.ByQuery),
		chromedp.Click(`[data-checkout-form] input[name="payment_method"][value="cash"]`, chromedp.ByQuery),
	)
}

func (e *shopperEnv) waitWhatsApp() string {
	e.t.Helper()
	var wa string
	waitFor(e.t, "WhatsApp opened", func() bool {
		e.mu.Lock()
		defer e.mu.Unlock()
		if len(e.whatsapp) > 0 {
			wa = e.whatsapp[len(e.whatsapp)-1]
		}
		return wa != ""
	})
	return wa
}

// Point 10: a checkout with missing fields shows every message beside its
// field in words that say what to do, marks the fields, and focuses the
// first; a stock error from the server shows beside its cart line, on screen.
func TestCheckoutErrorsShowBesideTheirFields(t *testing.T) {
	e := newShopperEnv(t, 390, 844)
	agua := e.productID("Agua de horchata (1 litro)")
	e.exec(`UPDATE products SET stock = 40 WHERE id = ?`, agua)
	taco := e.productID("Taco de suadero")
	e.open("/demo")
	e.run("fill the cart", chromedp.Evaluate(fmt.Sprintf(`localStorage.setItem("qubly:cart:demo", JSON.stringify([
		{product_id: %d, quantity: 3, options: [], unit_cents: 2500, name: "Taco de suadero"},
		{product_id: %d, quantity: 40, options: [], unit_cents: 4000, name: "Agua"}]))`, taco, agua), nil))
	e.open("/demo/cart")
	e.run("cart shown", chromedp.WaitVisible(`[data-checkout-form]`, chromedp.ByQuery))

	// Nothing typed, nothing chosen.
	e.run("send empty", chromedp.Click(`[data-checkout-form] [data-submit]`, chromedp.ByQuery))
	waitFor(t, "messages", func() bool { return e.visibleText(`[data-error-for="payment_method"]`) != "" })
	for sel, want := range map[string]string{
		`[data-error-for="customer.name"]`:  "obligatorio",
		`[data-error-for="customer.phone"]`: "obligatorio",
		`[data-error-for="fulfillment"]`:    "Elige cómo quieres recibir tu pedido.",
		`[data-error-for="payment_method"]`: "Elige cómo vas a pagar.",
	} {
		if got := e.visibleText(sel); !strings.Contains(got, want) {
			t.Errorf("%s shows %q, want %q", sel, got, want)
		}
	}
	// Every field is marked and points to its message.
	for _, name := range []string{"name", "phone", "fulfillment", "payment_method"} {
		got := e.eval(fmt.Sprintf(`[...document.querySelectorAll('[data-checkout-form] [name=%q]')].every((el) =>
			el.getAttribute("aria-invalid") === "true" &&
			el.getAttribute("aria-describedby").split(" ").some((id) => { const m = document.getElementById(id);
				return m && !m.hidden && m.textContent.trim() !== ""; }))`, name))
		if got != "true" {
			t.Errorf("%s is not marked invalid with its message", name)
		}
	}
	if got := e.eval(`document.activeElement.name`); got != "name" {
		t.Errorf("focus on %q, want the name field", got)
	}

	if e.visibleText(`[data-cash-field]`) != "" {
		t.Error("the cash amount is asked before paying cash is chosen")
	}
	// All filled in, but meanwhile someone else bought 10 of the 40 aguas.
	e.exec(`UPDATE products SET stock = 30 WHERE id = ?`, agua)
	e.fillCheckout()
	if !strings.Contains(e.visibleText(`[data-cash-field]`), "¿Con cuánto pagas?") {
		t.Error("paying cash does not ask what with")
	}
	e.run("pay with 2000", chromedp.SendKeys(`#f-cash`, "2000", chromedp.ByID))
	e.run("scroll to the bottom and send",
		chromedp.Evaluate(`scrollTo(0, document.body.scrollHeight)`, nil),
		chromedp.Click(`[data-checkout-form] [data-submit]`, chromedp.ByQuery))
	waitFor(t, "stock message", func() bool { return e.visibleText(`[data-i="1"] [data-line-error]`) != "" })
	if got := e.visibleText(`[data-i="1"] [data-line-error]`); !strings.Contains(got, "Solo quedan 30 piezas") || !strings.Contains(got, "Baja la cantidad") {
		t.Errorf("line message %q", got)
	}
	if got := e.visibleText(`[data-i="1"] [data-warn]`); got != "" {
		t.Errorf("the line repeats the message: %q", got)
	}
	if e.eval(`document.querySelector("[data-submit]").disabled`) != "true" {
		t.Error("the order can be sent with more than the stock")
	}
	if e.visibleText(`[data-i="0"] [data-line-error]`) != "" {
		t.Error("the line that is fine shows an error")
	}
	if !e.inViewport(`[data-i="1"] [data-line-error]`) {
		t.Error("the stock message is off screen")
	}
	if got := e.eval(`document.activeElement.closest("[data-line]")?.dataset.i`); got != "1" {
		t.Errorf("focus is in line %q, want the agua's line", got)
	}
	// The field errors of the first try are gone.
	if got := e.visibleText(`[data-error-for="fulfillment"]`); got != "" {
		t.Errorf("old message still shown: %q", got)
	}
	if n := e.orders(); n != 0 {
		t.Fatalf("%d orders stored", n)
	}

	// The cart's + stops at the stock: lower to 29, then + reaches 30 and stops.
	e.run("lower the quantity", chromedp.Click(`[data-i="1"] [data-dec]`, chromedp.ByQuery))
	for range 40 {
		if e.eval(`document.querySelector('[data-i="1"] [data-qty]').textContent`) == "29" {
			break
		}
		e.run("lower", chromedp.Click(`[data-i="1"] [data-dec]`, chromedp.ByQuery))
	}
	e.run("raise", chromedp.Click(`[data-i="1"] [data-inc]`, chromedp.ByQuery))
	if got := e.eval(`document.querySelector('[data-i="1"] [data-qty]').textContent`); got != "30" {
		t.Fatalf("quantity %s after +, want 30", got)
	}
	if e.eval(`document.querySelector('[data-i="1"] [data-inc]').disabled`) != "true" {
		t.Error("+ is still enabled at the stock")
	}
	e.run("send", chromedp.Click(`[data-checkout-form] [data-submit]`, chromedp.ByQuery))
	wa, err := url.Parse(e.waitWhatsApp())
	if err != nil {
		t.Fatal(err)
	}
	if n := e.orders(); n != 1 {
		t.Fatalf("%d orders stored, want 1", n)
	}
	// 3 × $25.00 + 30 × $40.00 = $1,275.00, paid with $2,000.00; the
	// store's own cash note is not put in the shopper's mouth.
	if text := wa.Query().Get("text"); !strings.Contains(text, "Pago: Efectivo, pago con $2,000.00") ||
		strings.Contains(text, "billete grande") || !strings.Contains(text, "$1,275.00") {
		t.Errorf("WhatsApp message:\n%s", text)
	}
}

// Point 11: the product page refuses more than the stock (counting the
// cart), more options than a group allows and a missing required option,
// each with its message, instead of failing at checkout.
func TestAddToCartStopsAtStockAndOptionLimits(t *testing.T) {
	e := newShopperEnv(t, 390, 844)
	agua := e.productID("Agua de horchata (1 litro)")
	e.exec(`UPDATE products SET stock = 40 WHERE id = ?`, agua)
	var slug string
	e.srv.DB.Table("products").Where("id = ?", agua).Pluck("slug", &slug)

	e.open("/demo/p/" + slug)
	if got := e.eval(`document.querySelector("#qty").max`); got != "40" {
		t.Errorf("quantity max %s, want 40", got)
	}
	add := func(qty string) {
		e.run("add "+qty,
			chromedp.SetValue(`#qty`, qty, chromedp.ByID),
			chromedp.Click(`form[data-add-to-cart] [type="submit"]`, chromedp.ByQuery))
	}
	add("45")
	waitFor(t, "stock message", func() bool { return e.visibleText(`[data-qty-error]`) != "" })
	if got := e.visibleText(`[data-qty-error]`); !strings.Contains(got, "Solo quedan 40 piezas") {
		t.Errorf("message %q", got)
	}
	if e.eval(`document.activeElement.id`) != "qty" || e.eval(`document.querySelector("#qty").getAttribute("aria-invalid")`) != "true" {
		t.Error("the quantity is not focused and marked")
	}
	if e.cartCount() != "0" || e.eval(`location.pathname`) != "/demo/p/"+slug {
		t.Fatalf("45 of 40 was taken: count %s at %s", e.cartCount(), e.eval(`location.pathname`))
	}
	add("30")
	waitFor(t, "30 in the cart", func() bool { return e.cartCount() == "30" })
	if e.visibleText(`[data-qty-error]`) != "" {
		t.Error("the message stays after a good add")
	}
	add("15")
	waitFor(t, "cart message", func() bool { return e.visibleText(`[data-qty-error]`) != "" })
	if got := e.visibleText(`[data-qty-error]`); !strings.Contains(got, "Ya tienes 30 en tu carrito") || !strings.Contains(got, "puedes agregar 10 más") {
		t.Errorf("message %q", got)
	}
	if e.cartCount() != "30" {
		t.Fatalf("cart count %s, want 30", e.cartCount())
	}

	// A third extra where two are allowed; no tortilla where one is required.
	var extras int64
	e.srv.DB.Table("option_groups").Where("business_id = ? AND name = ?", e.biz.ID, "Extras").Pluck("id", &extras)
	e.exec(`INSERT INTO option_choices (business_id, group_id, name, delta_cents, position) VALUES (?, ?, ?, ?, ?)`,
		e.biz.ID, extras, "Cebolla asada", 500, 9)
	e.open("/demo/p/taco-al-pastor")
	for _, name := range []string{"Queso", "Aguacate", "Cebolla asada"} {
		e.run("check "+name, chromedp.Click(fmt.Sprintf(`//label[contains(., %q)]/input`, name), chromedp.BySearch))
	}
	group := fmt.Sprintf(`[data-option-group="%d"]`, extras)
	if got := e.eval(`document.querySelectorAll('` + group + ` input:checked').length`); got != "2" {
		t.Errorf("%s extras checked, want 2", got)
	}
	if got := e.visibleText(group + ` [data-group-error]`); !strings.Contains(got, "Puedes elegir hasta 2 en «Extras»") {
		t.Errorf("extras message %q", got)
	}
	e.run("add without tortilla", chromedp.Click(`form[data-add-to-cart] [type="submit"]`, chromedp.ByQuery))
	if got := e.visibleText(`[data-option-group]:first-of-type [data-group-error]`); !strings.Contains(got, "Elige al menos 1 en «Tortilla»") {
		t.Errorf("tortilla message %q", got)
	}
	if got := e.eval(`document.activeElement.closest("[data-option-group]")?.dataset.groupName`); got != "Tortilla" {
		t.Errorf("focus in group %q, want Tortilla", got)
	}
	if e.cartCount() != "30" {
		t.Fatalf("the taco was added without its tortilla: count %s", e.cartCount())
	}
	e.run("choose a tortilla and add",
		chromedp.Click(`//label[contains(., "Harina")]/input`, chromedp.BySearch),
		chromedp.Click(`form[data-add-to-cart] [type="submit"]`, chromedp.ByQuery))
	waitFor(t, "taco added", func() bool { return e.cartCount() == "31" })
	if e.visibleText(`[data-option-group]:first-of-type [data-group-error]`) != "" {
		t.Error("the tortilla message stays after choosing one")
	}
}

// Point 12 and the outage: the first order POST answers 503 after the
// server stored the order (an answer lost on the way). The shopper is told,
// keeps the cart, retries, and exactly one order exists. After checkout,
// Back and the store page show the last order with its links.
func TestCheckoutOutageRetryAndLastOrder(t *testing.T) {
	e := newShopperEnv(t, 390, 844)
	var once sync.Once
	chromedp.ListenTarget(e.b, func(ev any) {
		p, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		go func() {
			c := chromedp.FromContext(e.b)
			ctx := cdp.WithExecutor(e.b, c.Target)
			var act interface{ Do(context.Context) error } = fetch.ContinueRequest(p.RequestID)
			if strings.HasPrefix(p.Request.URL, "https://wa.me/") {
				// WhatsApp opens, and the shopper comes back without sending.
				act = fetch.FulfillRequest(p.RequestID, 200).
					WithResponseHeaders([]*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html"}}).
					WithBody(base64.StdEncoding.EncodeToString([]byte("<title>WhatsApp</title><p>WhatsApp</p>")))
				act.Do(ctx)
				return
			}
			once.Do(func() {
				act = fetch.FulfillRequest(p.RequestID, 503).
					WithResponseHeaders([]*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/plain"}, {Name: "Retry-After", Value: "5"}}).
					WithBody(base64.StdEncoding.EncodeToString([]byte("Service Unavailable")))
			})
			act.Do(ctx)
		}()
	})
	e.run("intercept orders", fetch.Enable().WithPatterns([]*fetch.RequestPattern{
		{URLPattern: "*/demo/orders", RequestStage: fetch.RequestStageResponse},
		{URLPattern: "https://wa.me/*", RequestStage: fetch.RequestStageRequest},
	}))

	taco := e.productID("Taco de suadero")
	e.open("/demo")
	if e.visibleText(`[data-last-order]`) != "" {
		t.Fatal("a last order shows before any order")
	}
	e.run("fill the cart", chromedp.Evaluate(fmt.Sprintf(`localStorage.setItem("qubly:cart:demo", JSON.stringify([
		{product_id: %d, quantity: 8, options: [], unit_cents: 2500, name: "Taco de suadero"}]))`, taco), nil))
	e.open("/demo/cart")
	e.run("cart shown", chromedp.WaitVisible(`[data-checkout-form]`, chromedp.ByQuery))
	e.fillCheckout()
	e.run("send", chromedp.Click(`[data-checkout-form] [data-submit]`, chromedp.ByQuery))
	waitFor(t, "outage message", func() bool { return e.visibleText(`[data-form-error]`) != "" })
	if got := e.visibleText(`[data-form-error-text]`); got != "No pudimos enviar tu pedido. Tu carrito sigue aquí." {
		t.Errorf("message %q", got)
	}
	if got := e.visibleText(`[data-retry]`); got != "Intentar de nuevo" {
		t.Fatalf("retry button %q", got)
	}
	if e.eval(`document.activeElement.matches("[data-retry]")`) != "true" {
		t.Error("the retry button is not focused")
	}
	if e.visibleText(`[data-i="0"] [data-name]`) != "Taco de suadero" || e.cartCount() != "8" ||
		!strings.Contains(e.eval(`localStorage.getItem("qubly:cart:demo")`), `"quantity":8`) {
		t.Fatal("the cart was not kept")
	}
	if n := e.orders(); n != 1 {
		t.Fatalf("%d orders stored by the first try, want 1 (its answer was lost)", n)
	}

	e.run("retry", chromedp.Click(`[data-retry]`, chromedp.ByQuery))
	wa := e.waitWhatsApp()
	if n := e.orders(); n != 1 {
		t.Fatalf("%d orders stored after the retry, want 1", n)
	}
	var o domain.Order
	if err := e.srv.DB.Where("business_id = ? AND id > ?", e.biz.ID, e.seeded).First(&o).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(wa, o.Code) {
		t.Fatalf("WhatsApp link %s is not for order %s", wa, o.Code)
	}

	waitFor(t, "WhatsApp page", func() bool { return e.eval(`location.host`) == "wa.me" })
	e.run("back", chromedp.NavigateBack())
	waitFor(t, "back on the cart page", func() bool { return e.eval(`location.pathname`) == "/demo/cart" })
	waitFor(t, "the order after Back", func() bool {
		return e.visibleText(`[data-cart-done]`) != "" || e.visibleText(`[data-last-order]`) != ""
	})
	tracking := e.srv.URL + "/demo/o/" + o.Code
	if e.eval(fmt.Sprintf(`[...document.querySelectorAll("a")].some((a) => a.href === %q && a.offsetParent !== null)`, tracking)) != "true" {
		t.Error("after Back the cart page has no visible link to the order")
	}

	// Without the back/forward cache the cart page reloads, empty: it shows
	// the last order.
	e.open("/demo/cart")
	if got := e.visibleText(`[data-last-order]`); !strings.Contains(got, o.Code) || e.visibleText(`[data-cart-empty]`) == "" {
		t.Errorf("reloaded cart page: last order %q", got)
	}

	e.open("/demo")
	card := e.visibleText(`[data-last-order]`)
	if !strings.Contains(card, "Tu último pedido") || !strings.Contains(card, o.Code) || !strings.Contains(card, "$200.00") {
		t.Fatalf("store page card %q", card)
	}
	// The time is the store's (Mexico City), as on its order page, whatever
	// the phone's zone (this browser runs in UTC).
	mx, _ := time.LoadLocation("America/Mexico_City")
	if now := time.Now(); !strings.Contains(card, now.In(mx).Format("3:04")) && !strings.Contains(card, now.Add(-time.Minute).In(mx).Format("3:04")) {
		t.Errorf("store page card %q does not show the order's time in the store's zone (%s)", card, now.In(mx).Format("15:04"))
	}
	if got := e.eval(`document.querySelector("[data-last-order-tracking]").href`); got != tracking {
		t.Errorf("Ver mi pedido → %s, want %s", got, tracking)
	}
	if got := e.eval(`document.querySelector("[data-last-order-whatsapp]").href`); got != wa {
		t.Errorf("Reenviar por WhatsApp → %s, want %s", got, wa)
	}
	if !strings.Contains(e.visibleText(`[data-last-order-whatsapp]`), "Reenviar por WhatsApp") {
		t.Error("no Reenviar por WhatsApp button")
	}
	if e.cartCount() != "0" {
		t.Errorf("cart count %s after ordering", e.cartCount())
	}
	// An old order is not shown: a week later the card is gone.
	e.run("age the order", chromedp.Evaluate(`localStorage.setItem("qubly:orders:demo", JSON.stringify(
		JSON.parse(localStorage.getItem("qubly:orders:demo")).map((o) => ({...o, at: o.at - 7 * 864e5}))))`, nil))
	e.open("/demo")
	if got := e.visibleText(`[data-last-order]`); got != "" {
		t.Errorf("a week-old order still shows: %q", got)
	}
}

// Point 9 (part): the public header's "Iniciar sesión" and "Crear mi tienda"
// stay on one line on 360 and 390 px phones, in Spanish and English, on
// every page with the public header, and nothing scrolls sideways.
func TestPublicHeaderFitsSmallPhones(t *testing.T) {
	srv := startServer(t)
	for _, width := range []int{360, 390} {
		b := newBrowser(t, width, 740)
		for _, lang := range []string{"es-MX", "en-US"} {
			if err := chromedp.Run(b, network.Enable(), network.SetExtraHTTPHeaders(network.Headers{"Accept-Language": lang})); err != nil {
				t.Fatal(err)
			}
			for _, path := range []string{"/", "/login", "/signup", "/password/forgot"} {
				var res struct {
					Lines    []int
					Heights  []float64
					Overflow bool
				}
				err := chromedp.Run(b, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible("header nav", chromedp.ByQuery),
					chromedp.Evaluate(`(() => {
						const links = [...document.querySelectorAll('header a[href="/login"], header a[href="/signup"]')];
						const lines = links.map((a) => { const r = document.createRange(); r.selectNodeContents(a);
							return new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size; });
						return { Lines: lines, Heights: links.map((a) => a.getBoundingClientRect().height),
							Overflow: document.documentElement.scrollWidth > innerWidth };
					})()`, &res))
				if err != nil {
					t.Fatalf("%s at %d px: %v", path, width, err)
				}
				if len(res.Lines) != 2 {
					t.Fatalf("%s at %d px (%s): %d header links, want 2", path, width, lang, len(res.Lines))
				}
				for i, n := range res.Lines {
					if n != 1 || res.Heights[i] > 48 {
						t.Errorf("%s at %d px (%s): header link %d takes %d lines, %.0f px high", path, width, lang, i, n, res.Heights[i])
					}
				}
				if res.Overflow {
					t.Errorf("%s at %d px (%s): the page scrolls sideways", path, width, lang)
				}
			}
		}
	}
}
