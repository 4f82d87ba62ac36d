package store_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/store"
	"github.com/qubly/qubly/testkit"
)

// ---- fixtures ----

// sfProduct adds an active product described "Descripción de <name>"
// (testkit's App.Product); opts change it before the insert.
func sfProduct(a *testkit.App, biz int64, cat *domain.Category, name string, price domain.Money, opts ...testkit.ProductOption) *domain.Product {
	return a.Product(biz, name, append([]testkit.ProductOption{testkit.Price(price), testkit.InCategory(cat),
		testkit.Description("Descripción de " + name)}, opts...)...)
}

var sfImageSeq int

// sfPhoto places a new w×h image on product p.
func sfPhoto(t *testing.T, a *testkit.App, biz int64, p *domain.Product, w, h int) *domain.Image {
	t.Helper()
	sfImageSeq++
	img := a.Image(biz, fmt.Sprintf("k%d-%d", biz, sfImageSeq), "jpeg", w, h)
	a.Photo(p, img, sfImageSeq)
	return img
}

func sfDemo(t *testing.T, a *testkit.App) *domain.Business {
	t.Helper()
	if _, err := a.Demo.Seed(context.Background(), "demo-pass"); err != nil {
		t.Fatal(err)
	}
	b, err := a.Repos.Businesses.GetBySlug(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ---- page helpers ----

func sfGet(t *testing.T, c *testkit.Client, path string, want int) *testkit.Response {
	t.Helper()
	r := c.Get(path)
	if r.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d\n%s", path, r.StatusCode, want, r.Body)
	}
	return r
}

var sfLDBlock = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// sfJSONLD parses every JSON-LD block of body, failing on one that is not JSON.
func sfJSONLD(t *testing.T, body string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, m := range sfLDBlock.FindAllStringSubmatch(body, -1) {
		var v map[string]any
		if err := json.Unmarshal([]byte(m[1]), &v); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
		}
		out = append(out, v)
	}
	return out
}

func sfLD(t *testing.T, blocks []map[string]any, typ string) map[string]any {
	t.Helper()
	for _, b := range blocks {
		if b["@type"] == typ {
			if b["@context"] != "https://schema.org" {
				t.Errorf("%s @context = %v", typ, b["@context"])
			}
			return b
		}
	}
	t.Fatalf("no %s JSON-LD in %v", typ, blocks)
	return nil
}

func sfObj(t *testing.T, v any, what string) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s is %T (%v), want an object", what, v, v)
	}
	return m
}

func sfHas(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func sfHasNot(t *testing.T, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("page has %q", w)
		}
	}
}

// ---- tests ----

func TestStoreHomeSEO(t *testing.T) {
	a := testkit.NewApp(t)
	biz := sfDemo(t, a)
	r := sfGet(t, a.Client(), "/demo", http.StatusOK)

	sfHas(t, r.Body,
		`<title>Tacos Doña Lupe</title>`,
		`<link rel="canonical" href="http://qubly.test/demo">`,
		`<meta property="og:title" content="Tacos Doña Lupe">`,
		`<meta property="og:url" content="http://qubly.test/demo">`,
		`<meta property="og:type" content="website">`,
		`<meta name="twitter:card" content="summary">`,
		`<meta name="description" content="Taquería familiar`,
		`<meta name="theme-color" content="#047857">`,
		`<link rel="manifest" href="/demo/manifest.webmanifest">`,
		`<link rel="stylesheet" href="/demo/theme.css?v=`,
		`<a href="/demo/cart" data-cart-link`, `<span data-cart-count hidden`,
		`href="/demo/reviews"`, `4.5`, `13 reseñas`,
	)
	for _, js := range []string{"cart.js", "pwa.js"} {
		if !regexp.MustCompile(`<script type="module" src="/static/js/` + js + `(\?v=\w+)?"></script>`).MatchString(r.Body) {
			t.Errorf("no module script %s", js)
		}
	}
	// CSP: no inline script (JSON-LD is data), no inline style.
	sfHasNot(t, r.Body, `<style`, ` style="`)
	scripts := regexp.MustCompile(`<script[^>]*>`).FindAllString(r.Body, -1)
	for _, s := range scripts {
		if !strings.Contains(s, ` src="`) && s != `<script type="application/ld+json">` {
			t.Errorf("inline script %s", s)
		}
	}

	st := sfLD(t, sfJSONLD(t, r.Body), "Store")
	for k, want := range map[string]any{
		"name": "Tacos Doña Lupe", "url": "http://qubly.test/demo", "telephone": "+525512345678",
	} {
		if st[k] != want {
			t.Errorf("Store %s = %v, want %v", k, st[k], want)
		}
	}
	addr := sfObj(t, st["address"], "address")
	if addr["@type"] != "PostalAddress" || addr["addressCountry"] != "MX" ||
		addr["streetAddress"] != biz.Address || addr["addressLocality"] != biz.City {
		t.Errorf("address = %v", addr)
	}
	rating := sfObj(t, st["aggregateRating"], "aggregateRating")
	if rating["ratingValue"] != "4.5" || rating["reviewCount"] != float64(13) {
		t.Errorf("aggregateRating = %v", rating)
	}
	hours, _ := st["openingHoursSpecification"].([]any)
	if len(hours) == 0 {
		t.Fatalf("no openingHoursSpecification in %v", st)
	}
	days := 0
	for _, h := range hours {
		spec := sfObj(t, h, "opening hours")
		if spec["@type"] != "OpeningHoursSpecification" || spec["opens"] == "" || spec["closes"] == "" {
			t.Errorf("opening hours %v", spec)
		}
		d, _ := spec["dayOfWeek"].([]any)
		days += len(d)
	}
	ranges := 0
	for _, d := range biz.Hours {
		ranges += len(d.Ranges())
	}
	if days != ranges {
		t.Errorf("openingHoursSpecification covers %d day ranges, the store has %d", days, ranges)
	}
}

func TestStoreThemeStylesheet(t *testing.T) {
	a := testkit.NewApp(t)
	a.Shop("colores", map[string]any{"primary_color": "#fde047", "accent_color": "#1e3a8a"})
	c := a.Client()
	home := sfGet(t, c, "/colores", http.StatusOK)
	m := regexp.MustCompile(`href="(/colores/theme\.css\?v=\w+)"`).FindStringSubmatch(home.Body)
	if m == nil {
		t.Fatal("no theme stylesheet link")
	}
	sfHas(t, home.Body, `<meta name="theme-color" content="#fde047">`)
	r := sfGet(t, c, m[1], http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("Cache-Control %q", cc)
	}
	// Light yellow takes dark text, dark blue white text.
	sfHas(t, r.Body, "--store-primary:#fde047", "--store-on-primary:#111827", "--store-accent:#1e3a8a", "--store-on-accent:#ffffff")
}

func TestProductPage(t *testing.T) {
	a := testkit.NewApp(t)
	biz := a.Shop("tacos-ana", map[string]any{"rating_count": 2, "rating_sum": 9})
	cat := a.Category(biz.ID, "Tacos", testkit.CategoryAt(1))
	compare := domain.Money(3000)
	p := sfProduct(a, biz.ID, cat, "Taco <Especial> & \"Doble\"", 2500, testkit.Slug("taco-especial"),
		func(p *domain.Product) { p.CompareAtCents = &compare },
		testkit.OptionGroup("Tamaño", 1, 1, testkit.Choice("Normal", 0), testkit.Choice("Grande", 1500)),
		testkit.OptionGroup("Extras", 0, 2, testkit.Choice("Queso", 1000), testkit.Choice("Aguacate", 1200)))
	size, extras := p.Options[0], p.Options[1]
	big, cheese := size.Choices[1], extras.Choices[0]
	img := sfPhoto(t, a, biz.ID, p, 1600, 1200)
	sfPhoto(t, a, biz.ID, p, 800, 800)
	now := a.Clock.Now()
	a.Review(biz.ID, "Ana", 5, testkit.ReviewStatus(domain.ReviewApproved), testkit.CreatedAt(now.Add(-time.Hour)))
	a.Review(biz.ID, "Beto", 4, testkit.ReviewStatus(domain.ReviewApproved), testkit.CreatedAt(now.Add(-2*time.Hour)))
	a.Review(biz.ID, "Pendiente Pedro", 1, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(now))

	r := sfGet(t, a.Client(), "/tacos-ana/p/taco-especial", http.StatusOK)
	name := `Taco &lt;Especial&gt; &amp; &#34;Doble&#34;`
	sfHas(t, r.Body,
		fmt.Sprintf(`<form method="post" action="/tacos-ana/checkout" data-add-to-cart data-product-id="%d" data-product-name="%s" data-price-cents="2500" data-max-qty="99"`, p.ID, name),
		fmt.Sprintf(`<input type="hidden" name="product_id" value="%d">`, p.ID),
		`<input type="hidden" name="_csrf"`,
		`<input name="quantity" type="number" min="1" max="99" value="1"`,
		fmt.Sprintf(`type="radio" name="options" value="%d" data-delta-cents="1500" data-group-id="%d"`, big.ID, size.ID),
		fmt.Sprintf(`type="checkbox" name="options" value="%d" data-delta-cents="1000" data-group-id="%d"`, cheese.ID, extras.ID),
		"+$15.00", "+$10.00", "Obligatorio", "$25.00", "<s", "$30.00", "Agregar al carrito",
		`<link rel="canonical" href="http://qubly.test/tacos-ana/p/taco-especial">`,
		`<meta property="og:type" content="product">`,
		`<meta property="og:image" content="http://qubly.test`+img.URL(1200)+`">`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`<a href="/tacos-ana">`, `<a href="/tacos-ana?category=tacos">Tacos</a>`,
		// Reviews: average, count, latest approved, link to all.
		"4.5 de 5 · 2 reseñas", "Ana", "Beto", `href="/tacos-ana/reviews"`,
		// Responsive photo with its size reserved.
		`srcset="`+img.SrcSet()+`"`, `width="1200" height="900"`,
	)
	sfHasNot(t, r.Body, "Pendiente Pedro", " disabled")
	if t.Failed() {
		t.Log(r.Body[strings.Index(r.Body, "<form"):strings.Index(r.Body, "</form>")])
	}

	blocks := sfJSONLD(t, r.Body)
	prod := sfLD(t, blocks, "Product")
	if prod["name"] != p.Name || prod["sku"] != fmt.Sprint(p.ID) || prod["description"] != p.Description {
		t.Errorf("Product = %v", prod)
	}
	if imgs, _ := prod["image"].([]any); len(imgs) != 2 || imgs[0] != "http://qubly.test"+img.URL(1200) {
		t.Errorf("Product image = %v", prod["image"])
	}
	offer := sfObj(t, prod["offers"], "offers")
	for k, want := range map[string]any{
		"@type": "Offer", "price": "25.00", "priceCurrency": "MXN",
		"availability": "https://schema.org/InStock", "url": "http://qubly.test/tacos-ana/p/taco-especial",
	} {
		if offer[k] != want {
			t.Errorf("Offer %s = %v, want %v", k, offer[k], want)
		}
	}
	crumbs := sfLD(t, blocks, "BreadcrumbList")
	items, _ := crumbs["itemListElement"].([]any)
	if len(items) != 3 {
		t.Fatalf("breadcrumb %v", crumbs)
	}
	last := sfObj(t, items[2], "breadcrumb item")
	if last["position"] != float64(3) || last["name"] != p.Name || last["item"] != "http://qubly.test/tacos-ana/p/taco-especial" {
		t.Errorf("last breadcrumb %v", last)
	}
}

func TestProductWithSeveralSingleChoiceGroupsUsesSelects(t *testing.T) {
	a := testkit.NewApp(t)
	biz := a.Shop("cafe-luz", nil)
	p := sfProduct(a, biz.ID, nil, "Café", 4000,
		testkit.OptionGroup("Tamaño", 1, 1, testkit.Choice("TamañoA", 0), testkit.Choice("TamañoB", 0)),
		testkit.OptionGroup("Leche", 1, 1, testkit.Choice("LecheA", 0), testkit.Choice("LecheB", 0)))
	ids := []int64{p.Options[0].ID, p.Options[1].ID}
	r := sfGet(t, a.Client(), "/cafe-luz/p/cafe", http.StatusOK)
	// Radios sharing name="options" would be one group for the whole form.
	sfHasNot(t, r.Body, `type="radio"`)
	for _, id := range ids {
		sfHas(t, r.Body, fmt.Sprintf(`name="options" data-group-id="%d"`, id))
	}
}

func TestSoldOutProduct(t *testing.T) {
	a := testkit.NewApp(t)
	biz := a.Shop("dulces", nil)
	sfProduct(a, biz.ID, nil, "Mazapán", 1000, testkit.SoldOut())
	sfProduct(a, biz.ID, nil, "Cocada", 1500, testkit.Stock(0))
	sfProduct(a, biz.ID, nil, "Alegría", 1200)
	c := a.Client()

	home := sfGet(t, c, "/dulces", http.StatusOK)
	if n := strings.Count(home.Body, "data-sold-out>Agotado<"); n != 2 {
		t.Errorf("%d sold-out badges, want 2", n)
	}
	r := sfGet(t, c, "/dulces/p/mazapan", http.StatusOK)
	sfHas(t, r.Body, `disabled`, "Este producto está agotado por ahora.")
	sfHasNot(t, r.Body, "Agregar al carrito")
	offer := sfObj(t, sfLD(t, sfJSONLD(t, r.Body), "Product")["offers"], "offers")
	if offer["availability"] != "https://schema.org/OutOfStock" {
		t.Errorf("availability %v", offer["availability"])
	}
}

func TestHiddenProductsAreNotPublic(t *testing.T) {
	a := testkit.NewApp(t)
	biz := a.Shop("ropa", nil)
	other := a.Shop("otra", nil)
	visible := a.Category(biz.ID, "Playeras", testkit.CategoryAt(1))
	secret := a.Category(biz.ID, "Secreta", testkit.CategoryAt(2), testkit.HiddenCategory())
	sfProduct(a, biz.ID, visible, "Playera visible", 20000)
	sfProduct(a, biz.ID, visible, "Playera oculta", 20000, testkit.Inactive())
	sfProduct(a, biz.ID, secret, "Gorra en categoria oculta", 15000)
	sfProduct(a, biz.ID, visible, "Bolsa oculta a la vista", 9000)
	gone := sfProduct(a, biz.ID, nil, "Calcetas borradas", 5000)
	if err := a.Repos.Catalog.Products.Delete(context.Background(), biz.ID, []int64{gone.ID}); err != nil {
		t.Fatal(err)
	}
	sfProduct(a, other.ID, nil, "Producto de otra tienda", 100)
	c := a.Client()

	home := sfGet(t, c, "/ropa", http.StatusOK)
	sfHas(t, home.Body, "Playera visible", `href="#c-playeras"`)
	sfHasNot(t, home.Body, "Playera oculta", "Gorra en categoria oculta", "Calcetas borradas", "Secreta", "Producto de otra tienda")
	for _, p := range []string{"playera-oculta", "gorra-en-categoria-oculta", "calcetas-borradas", "producto-de-otra-tienda", "nada"} {
		sfGet(t, c, "/ropa/p/"+p, http.StatusNotFound)
	}
	sfGet(t, c, "/ropa?category=secreta", http.StatusNotFound)
	sfGet(t, c, "/ropa?q=oculta", http.StatusOK)
	if r := c.Get("/ropa?q=oculta"); strings.Contains(r.Body, "Playera oculta") || strings.Contains(r.Body, "Gorra") {
		t.Error("search shows hidden products")
	} else if !strings.Contains(r.Body, "Bolsa oculta a la vista") {
		t.Error("search does not show the visible product that matches")
	}
}

func TestSearchAndCategoryFilter(t *testing.T) {
	a := testkit.NewApp(t)
	biz := a.Shop("fonda", nil)
	tacos := a.Category(biz.ID, "Tacos", testkit.CategoryAt(1))
	drinks := a.Category(biz.ID, "Bebidas", testkit.CategoryAt(2))
	sfProduct(a, biz.ID, tacos, "Taco de Suadero", 2200)
	sfProduct(a, biz.ID, tacos, "Gringa", 4500, testkit.Description("Tortilla de harina con pastor"))
	sfProduct(a, biz.ID, drinks, "Café de olla", 3000)
	sfProduct(a, biz.ID, drinks, "Agua de jamaica", 2500)
	c := a.Client()

	r := sfGet(t, c, "/fonda?q=SUADERO", http.StatusOK)
	sfHas(t, r.Body, "Taco de Suadero", `<meta name="robots" content="noindex">`, `value="SUADERO"`)
	sfHasNot(t, r.Body, "Gringa", "Café de olla", "Agua de jamaica")

	// Description and accents: "cafe" finds "Café", "pastor" finds the gringa.
	r = sfGet(t, c, "/fonda?q=cafe", http.StatusOK)
	sfHas(t, r.Body, "Café de olla")
	sfHasNot(t, r.Body, "Agua de jamaica")
	r = sfGet(t, c, "/fonda?q=pastor", http.StatusOK)
	sfHas(t, r.Body, "Gringa")
	r = sfGet(t, c, "/fonda?q=pizza", http.StatusOK)
	sfHas(t, r.Body, "No encontramos productos")

	r = sfGet(t, c, "/fonda?category=bebidas", http.StatusOK)
	sfHas(t, r.Body, "Café de olla", "Agua de jamaica", `aria-current="page">Bebidas`,
		`<link rel="canonical" href="http://qubly.test/fonda?category=bebidas">`)
	sfHasNot(t, r.Body, "Taco de Suadero", "Gringa")

	// The home lists every category in order, with anchors to its section.
	r = sfGet(t, c, "/fonda", http.StatusOK)
	i, j := strings.Index(r.Body, `id="c-tacos"`), strings.Index(r.Body, `id="c-bebidas"`)
	if i < 0 || j < 0 || i > j {
		t.Errorf("sections out of order: tacos at %d, bebidas at %d", i, j)
	}
	sfHas(t, r.Body, `href="#c-tacos"`, `href="#c-bebidas"`)
}

func TestClosedStoreStillListsProducts(t *testing.T) {
	a := testkit.NewApp(t)
	biz := a.Shop("cerrada", map[string]any{"closed_now": true, "closed_message": "Volvemos el lunes a las 9"})
	sfProduct(a, biz.ID, nil, "Pan dulce", 1200)
	r := sfGet(t, a.Client(), "/cerrada", http.StatusOK)
	sfHas(t, r.Body, "data-closed-banner", "Volvemos el lunes a las 9", "Cerrado ahora", "Pan dulce")

	// The test clock is Monday 09:04 in Mexico City: open on the default hours.
	a.Shop("abierta", nil)
	r = sfGet(t, a.Client(), "/abierta", http.StatusOK)
	sfHas(t, r.Body, "Abierto ahora")
	sfHasNot(t, r.Body, "data-closed-banner")
}

func TestUnavailableStore(t *testing.T) {
	restore := store.SetUnavailable(func(b *domain.Business) bool { return b.Slug == "sin-pago" })
	a := testkit.NewApp(t)
	restore()
	biz := a.Shop("sin-pago", nil)
	sfProduct(a, biz.ID, nil, "Producto secreto", 1000)
	ok := a.Shop("al-corriente", nil)
	sfProduct(a, ok.ID, nil, "Producto visible", 1000)
	c := a.Client()

	for _, path := range []string{"/sin-pago", "/sin-pago/p/producto-secreto", "/sin-pago/reviews"} {
		r := sfGet(t, c, path, http.StatusServiceUnavailable)
		sfHas(t, r.Body, "data-unavailable", "Tienda no disponible")
		sfHasNot(t, r.Body, "Producto secreto", "application/ld+json", "data-cart-link")
	}
	sfGet(t, c, "/al-corriente", http.StatusOK)
}

func TestUnknownReservedAndRenamedSlugs(t *testing.T) {
	a := testkit.NewApp(t)
	biz := a.Shop("viejo-nombre", nil)
	sfProduct(a, biz.ID, nil, "Tamal", 1800)
	if err := a.Repos.Businesses.ChangeSlug(context.Background(), biz.ID, "viejo-nombre", "nuevo-nombre", a.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	c := a.Client()
	sfGet(t, c, "/no-existe", http.StatusNotFound)
	sfGet(t, c, "/no-existe/p/tamal", http.StatusNotFound)
	sfGet(t, c, "/api/reviews", http.StatusNotFound)

	for from, to := range map[string]string{
		"/viejo-nombre":               "/nuevo-nombre",
		"/viejo-nombre/p/tamal?x=1":   "/nuevo-nombre/p/tamal?x=1",
		"/viejo-nombre/reviews":       "/nuevo-nombre/reviews",
		"/Nuevo-Nombre/p/tamal":       "/nuevo-nombre/p/tamal",
		"/nuevo-nombre/theme.css?v=1": "",
	} {
		r := c.Get(from)
		if to == "" {
			if r.StatusCode != http.StatusOK {
				t.Errorf("GET %s: %d", from, r.StatusCode)
			}
			continue
		}
		if r.StatusCode != http.StatusMovedPermanently || r.Header.Get("Location") != to {
			t.Errorf("GET %s: %d → %q, want 301 → %q", from, r.StatusCode, r.Header.Get("Location"), to)
		}
	}
	sfGet(t, c, "/nuevo-nombre/p/tamal", http.StatusOK)
}

func TestStoreLanguage(t *testing.T) {
	a := testkit.NewApp(t)
	en := a.Shop("english-shop", map[string]any{"language": "en"})
	es := a.Shop("tienda-es", nil)
	for _, b := range []*domain.Business{en, es} {
		sfProduct(a, b.ID, nil, "Item", 1000, testkit.SoldOut())
	}
	c := a.Client()
	// The visitor's language does not matter: the store's does.
	if r := c.PostForm("/lang", url.Values{"lang": {"es"}, "next": {"/"}}); r.StatusCode >= 400 {
		t.Fatalf("set language: %d", r.StatusCode)
	}
	r := sfGet(t, c, "/english-shop", http.StatusOK)
	sfHas(t, r.Body, `<html lang="en">`, "Sold out", "Search products", `og:locale" content="en_US"`)
	sfHasNot(t, r.Body, "Agotado", "Buscar productos")
	r = sfGet(t, c, "/english-shop/p/item", http.StatusOK)
	sfHas(t, r.Body, "Quantity", "This product is sold out for now.")
	r = sfGet(t, c, "/english-shop/reviews", http.StatusOK)
	sfHas(t, r.Body, "Leave a review", "Send review")

	r = sfGet(t, c, "/tienda-es", http.StatusOK)
	sfHas(t, r.Body, `<html lang="es-MX">`, "Agotado", "Buscar productos")
	sfHasNot(t, r.Body, "Sold out")
}

func TestReviewsPagination(t *testing.T) {
	a := testkit.NewApp(t)
	biz := a.Shop("con-resenas", map[string]any{"rating_count": 30, "rating_sum": 120})
	base := a.Clock.Now()
	for i := 1; i <= 30; i++ {
		a.Review(biz.ID, fmt.Sprintf("Cliente %02d", i), 4, testkit.ReviewStatus(domain.ReviewApproved), testkit.CreatedAt(base.Add(time.Duration(i)*time.Minute)))
	}
	a.Review(biz.ID, "Pendiente", 5, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(base.Add(time.Hour)))
	a.Review(biz.ID, "Rechazada", 1, testkit.ReviewStatus(domain.ReviewRejected), testkit.CreatedAt(base.Add(time.Hour)))
	other := a.Shop("otra-tienda", nil)
	a.Review(other.ID, "De otra tienda", 5, testkit.ReviewStatus(domain.ReviewApproved), testkit.CreatedAt(base.Add(time.Hour)))
	c := a.Client()

	authors := regexp.MustCompile(`<b>(Cliente \d+|Pendiente|Rechazada|De otra tienda)</b>`)
	names := func(body string) []string {
		var out []string
		for _, m := range authors.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	r := sfGet(t, c, "/con-resenas/reviews", http.StatusOK)
	got := names(r.Body)
	if len(got) != 12 || got[0] != "Cliente 30" || got[11] != "Cliente 19" {
		t.Fatalf("page 1 = %v", got)
	}
	sfHas(t, r.Body, `href="/con-resenas/reviews?page=2"`, "Página 1 de 3", "4.0 de 5 · 30 reseñas",
		`<link rel="canonical" href="http://qubly.test/con-resenas/reviews">`)
	st := sfLD(t, sfJSONLD(t, r.Body), "Store")
	if rating := sfObj(t, st["aggregateRating"], "aggregateRating"); rating["reviewCount"] != float64(30) {
		t.Errorf("aggregateRating %v", rating)
	}
	r = sfGet(t, c, "/con-resenas/reviews?page=3", http.StatusOK)
	if got := names(r.Body); len(got) != 6 || got[0] != "Cliente 06" || got[5] != "Cliente 01" {
		t.Fatalf("page 3 = %v", got)
	}
	sfHas(t, r.Body, `href="/con-resenas/reviews?page=2"`, `<link rel="canonical" href="http://qubly.test/con-resenas/reviews?page=3">`)
	// Past the last page shows the last page.
	r = sfGet(t, c, "/con-resenas/reviews?page=9", http.StatusOK)
	if got := names(r.Body); len(got) != 6 || got[0] != "Cliente 06" {
		t.Fatalf("page past the end = %v", got)
	}
	sfHas(t, r.Body, "Página 3 de 3", `<link rel="canonical" href="http://qubly.test/con-resenas/reviews?page=3">`)
}

// sfClientFrom is a client whose requests come from ip (the app trusts X-Client-IP).
func sfClientFrom(a *testkit.App, ip string) *testkit.Client {
	c := a.Client()
	c.Header.Set("X-Client-IP", ip)
	return c
}

func sfCountReviews(t *testing.T, a *testkit.App, biz int64) int64 {
	t.Helper()
	var n int64
	if err := a.DB.Model(&domain.Review{}).Where("business_id = ?", biz).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLeaveReview(t *testing.T) {
	a := testkit.NewApp(t, testkit.WithEnv("PROXY_HEADER", "X-Client-IP"))
	biz := a.Shop("opinable", map[string]any{"rating_count": 1, "rating_sum": 3})
	c := sfClientFrom(a, "10.0.0.1")

	r := c.PostForm("/opinable/reviews", url.Values{"name": {"  Lucía  Pérez "}, "rating": {"5"}, "comment": {"¡Muy rico!"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/opinable/reviews?sent=1#review-form" {
		t.Fatalf("submit: %d → %q\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	var rv domain.Review
	if err := a.DB.Where("business_id = ?", biz.ID).First(&rv).Error; err != nil {
		t.Fatal(err)
	}
	if rv.Status != domain.ReviewPending || rv.AuthorName != "Lucía Pérez" || rv.Rating != 5 || rv.Comment != "¡Muy rico!" {
		t.Errorf("stored %+v", rv)
	}
	b, _ := a.Repos.Businesses.Get(context.Background(), biz.ID)
	if b.RatingCount != 1 || b.RatingSum != 3 {
		t.Errorf("rating changed to %d/%d before approval", b.RatingCount, b.RatingSum)
	}
	page := sfGet(t, c, "/opinable/reviews?sent=1", http.StatusOK)
	sfHas(t, page.Body, "Gracias, tu reseña se publicará cuando la tienda la apruebe")
	// A pending review is not shown.
	sfHasNot(t, page.Body, "Lucía Pérez")
}

func TestReviewValidation(t *testing.T) {
	a := testkit.NewApp(t, testkit.WithEnv("PROXY_HEADER", "X-Client-IP"))
	biz := a.Shop("estricta", nil)
	long := func(n int) string { return strings.Repeat("a", n) }
	cases := []struct {
		name   string
		form   url.Values
		field  string
		errMsg string
	}{
		{"empty name", url.Values{"name": {"   "}, "rating": {"4"}}, "name", "Escribe tu nombre."},
		{"long name", url.Values{"name": {long(81)}, "rating": {"4"}}, "name", "Tu nombre puede tener hasta 80 caracteres."},
		{"zero stars", url.Values{"name": {"Ana"}, "rating": {"0"}}, "rating", "Elige de 1 a 5 estrellas."},
		{"six stars", url.Values{"name": {"Ana"}, "rating": {"6"}}, "rating", "Elige de 1 a 5 estrellas."},
		{"no stars", url.Values{"name": {"Ana"}}, "rating", "Elige de 1 a 5 estrellas."},
		{"stars not a number", url.Values{"name": {"Ana"}, "rating": {"cinco"}}, "rating", "Elige de 1 a 5 estrellas."},
		{"long comment", url.Values{"name": {"Ana"}, "rating": {"3"}, "comment": {long(1001)}}, "comment", "El comentario puede tener hasta 1000 caracteres."},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := sfClientFrom(a, fmt.Sprintf("10.0.1.%d", i))
			r := c.PostForm("/estricta/reviews", tc.form)
			if r.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", r.StatusCode)
			}
			sfHas(t, r.Body, tc.errMsg, fmt.Sprintf(`id="e-%s"`, tc.field), "Revisa los campos marcados.")
			if n := sfCountReviews(t, a, biz.ID); n != 0 {
				t.Fatalf("%d reviews stored", n)
			}
		})
	}
	// The form keeps what was typed.
	r := sfClientFrom(a, "10.0.2.1").PostForm("/estricta/reviews", url.Values{"name": {"Ana <b>"}, "comment": {"Rico & barato"}})
	sfHas(t, r.Body, `value="Ana &lt;b&gt;"`, "Rico &amp; barato</textarea>")

	// Exactly at the limits is fine.
	r = sfClientFrom(a, "10.0.2.2").PostForm("/estricta/reviews", url.Values{
		"name": {strings.Repeat("ñ", 80)}, "rating": {"1"}, "comment": {strings.Repeat("é", 1000)},
	})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("review at the limits: %d\n%s", r.StatusCode, r.Body)
	}
}

func TestReviewHoneypot(t *testing.T) {
	a := testkit.NewApp(t)
	biz := a.Shop("con-trampa", nil)
	c := a.Client()
	page := sfGet(t, c, "/con-trampa/reviews", http.StatusOK)
	sfHas(t, page.Body, `name="website"`, `<div class="hidden" aria-hidden="true">`)
	r := c.PostForm("/con-trampa/reviews", url.Values{
		"name": {"Bot"}, "rating": {"5"}, "comment": {"spam"}, "website": {"http://spam.example"},
	})
	if r.StatusCode != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "sent=1") {
		t.Fatalf("honeypot answer: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if n := sfCountReviews(t, a, biz.ID); n != 0 {
		t.Fatalf("%d reviews stored from a bot", n)
	}
}

func TestReviewRateLimit(t *testing.T) {
	a := testkit.NewApp(t, testkit.WithEnv("PROXY_HEADER", "X-Client-IP"))
	biz := a.Shop("limitada", nil)
	c := sfClientFrom(a, "10.0.3.1")
	form := url.Values{"name": {"Ana"}, "rating": {"5"}}
	for i := 1; i <= 5; i++ {
		if r := c.PostForm("/limitada/reviews", form); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("review %d: %d", i, r.StatusCode)
		}
	}
	r := c.PostForm("/limitada/reviews", form)
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("6th review from one IP: %d, want 429", r.StatusCode)
	}
	if n := sfCountReviews(t, a, biz.ID); n != 5 {
		t.Fatalf("%d reviews stored, want 5", n)
	}
	// Another IP may still review.
	if r := sfClientFrom(a, "10.0.3.2").PostForm("/limitada/reviews", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("other IP: %d", r.StatusCode)
	}

	// Per store: many IPs together hit the store's limit.
	other := a.Shop("muy-resenada", nil)
	limited := false
	for i := 0; i < 60 && !limited; i++ {
		r := sfClientFrom(a, fmt.Sprintf("10.1.%d.%d", i/200, i%200)).PostForm("/muy-resenada/reviews", form)
		limited = r.StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Fatal("no per-store limit after 60 reviews from different IPs")
	}
	if n := sfCountReviews(t, a, other.ID); n >= 60 {
		t.Fatalf("%d reviews stored", n)
	}
}

// TestLargeCatalogPage renders a store with 200 products with photos and
// checks the page stays within its budget: 100 KB gzipped before images.
func TestLargeCatalogPage(t *testing.T) {
	a := testkit.NewApp(t)
	biz := a.Shop("super-tienda", map[string]any{"description": strings.Repeat("Abarrotes y más. ", 10)})
	var cats []*domain.Category
	for i := 0; i < 10; i++ {
		cats = append(cats, a.Category(biz.ID, fmt.Sprintf("Categoría %d", i+1), testkit.CategoryAt(i)))
	}
	for i := 0; i < 200; i++ {
		compare := domain.Money(20000 + i*100)
		p := sfProduct(a, biz.ID, cats[i%10], fmt.Sprintf("Producto de abarrotes número %03d", i+1), domain.Money(15000+i*100),
			func(p *domain.Product) {
				p.Position = i
				p.Description = strings.Repeat("Una descripción larga del producto. ", 8)
				if i%3 == 0 {
					p.CompareAtCents = &compare
				}
				p.SoldOut = i%17 == 0
			})
		sfPhoto(t, a, biz.ID, p, 1600, 1200)
	}
	r := sfGet(t, a.Client(), "/super-tienda", http.StatusOK)
	if n := strings.Count(r.Body, `href="/super-tienda/p/`); n != 200 {
		t.Fatalf("%d product links, want 200", n)
	}
	if n := strings.Count(r.Body, `loading="eager"`); n != 2 {
		t.Errorf("%d eager images, want 2", n)
	}
	if n := strings.Count(r.Body, `loading="lazy"`); n != 198 {
		t.Errorf("%d lazy images, want 198", n)
	}
	if n := strings.Count(r.Body, "<svg"); n > 6 { // the header, banner, search and chat icons
		t.Errorf("%d inline SVGs: keep icons out of product cards", n)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(r.Body))
	zw.Close()
	t.Logf("200-product home: %d bytes, %d gzipped", len(r.Body), buf.Len())
	if buf.Len() > 100<<10 {
		t.Errorf("home with 200 products is %d bytes gzipped, budget 100 KB", buf.Len())
	}
}
